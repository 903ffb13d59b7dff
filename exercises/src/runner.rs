//! Runs one exercise's tests with `cargo test` and reads the outcome.

use crate::catalog::Exercise;
use std::process::{Command, Stdio};

/// What one `cargo test` run of an exercise's tests said.
pub struct Outcome {
    /// Whether cargo exited successfully: it compiled and no selected test failed.
    pub success: bool,
    /// How many tests ran, summed over the "test result:" lines.
    pub tests_run: usize,
}

impl Outcome {
    /// Passed means: it compiled, at least one test ran, and none failed.
    pub fn passed(&self) -> bool {
        self.success && self.tests_run > 0
    }
}

/// Runs the tests of `ex` against `package` (`exercises` or `solutions`; both build the same test
/// files).
pub fn run_tests(package: &str, ex: &Exercise) -> Outcome {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "test", "--quiet", "-p", package, "--test", ex.module, "--", ex.tests,
        ])
        .stdin(Stdio::null())
        .output()
        .expect("could not run cargo");
    let stdout = String::from_utf8_lossy(&output.stdout);
    Outcome {
        success: output.status.success(),
        tests_run: stdout.lines().filter_map(tests_in_result_line).sum(),
    }
}

/// From `test result: ok. 3 passed; 1 failed; ...`, the number of tests that ran (4).
fn tests_in_result_line(line: &str) -> Option<usize> {
    let rest = line.strip_prefix("test result: ")?;
    let count = |word: &str| -> usize {
        rest.split(';')
            .filter_map(|part| {
                part.trim()
                    .trim_start_matches("ok. ")
                    .trim_start_matches("FAILED. ")
                    .strip_suffix(word)
            })
            .filter_map(|n| n.trim().parse::<usize>().ok())
            .sum()
    };
    Some(count("passed") + count("failed"))
}
