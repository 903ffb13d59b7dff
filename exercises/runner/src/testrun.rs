//! Runs one chapter's test binary directly (no cargo in between) and reads what the test harness
//! printed: each test's result, and the output of those that failed.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a test binary may run before the runner kills it. Each exercise test fails by itself
/// after its own time limit (`exercises/tests/time_limit.rs`); this is the net under that net.
pub const DEADLINE: Duration = Duration::from_secs(60);

/// How many tests of a chapter run at once: more than any chapter has.
const TEST_THREADS: usize = 32;

/// What a test binary's run said.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct TestRun {
    /// Each test that finished, and whether it passed.
    pub results: BTreeMap<String, bool>,
    /// The captured output of each failed test.
    pub failures: BTreeMap<String, String>,
    /// Tests still running when the runner killed the binary at [`DEADLINE`].
    pub unfinished: Vec<String>,
}

impl TestRun {
    /// Removes `prefix` from the start of every test name that has it.
    pub fn strip_name_prefix(&mut self, prefix: &str) {
        let strip = |name: String| match name.strip_prefix(prefix) {
            Some(rest) => rest.to_string(),
            None => name,
        };
        self.results = std::mem::take(&mut self.results)
            .into_iter()
            .map(|(name, ok)| (strip(name), ok))
            .collect();
        self.failures = std::mem::take(&mut self.failures)
            .into_iter()
            .map(|(name, text)| (strip(name), text))
            .collect();
        self.unfinished = std::mem::take(&mut self.unfinished)
            .into_iter()
            .map(strip)
            .collect();
    }
}

/// A test binary started, running its tests whose names start with `filter`.
pub struct Running {
    child: Child,
    binary: std::path::PathBuf,
    filter: String,
    output: std::thread::JoinHandle<String>,
    deadline: Instant,
}

/// Starts `binary` on the tests under `filter`, in `dir` (where `cargo test` would run it: the
/// package's directory), to be killed after `deadline`. Start several, then [`finish`] each:
/// they run side by side.
pub fn start(
    binary: &Path,
    filter: &str,
    dir: &Path,
    deadline: Duration,
) -> std::io::Result<Running> {
    let mut child = Command::new(binary)
        .arg(filter)
        // Every test at once: a test that hangs then costs one time limit, not one per test
        // queued behind it on the machine's few cores.
        .arg(format!("--test-threads={TEST_THREADS}"))
        .current_dir(dir)
        // A backtrace would bury the panic message the learner needs.
        .env("RUST_BACKTRACE", "0")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()?;
    let mut stdout = child.stdout.take().expect("piped");
    let output = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    Ok(Running {
        child,
        binary: binary.to_path_buf(),
        filter: filter.to_string(),
        output,
        deadline: Instant::now() + deadline,
    })
}

/// Waits for a started binary (killing it at its deadline) and reads its output.
pub fn finish(mut running: Running) -> std::io::Result<TestRun> {
    let mut killed = false;
    while running.child.try_wait()?.is_none() {
        if Instant::now() > running.deadline {
            running.child.kill()?;
            running.child.wait()?;
            killed = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let output = running.output.join().unwrap_or_default();
    let mut run = read_output(&output);
    if killed {
        let listed = Command::new(&running.binary)
            .args([running.filter.as_str(), "--list"])
            .stderr(Stdio::null())
            .output()?;
        run.unfinished = listed_tests(&String::from_utf8_lossy(&listed.stdout))
            .into_iter()
            .filter(|name| !run.results.contains_key(name))
            .collect();
    }
    Ok(run)
}

/// Reads the harness's default output: `test NAME ... ok` lines, then a `---- NAME stdout ----`
/// section for each failure.
pub fn read_output(output: &str) -> TestRun {
    let mut run = TestRun::default();
    let mut section: Option<(String, String)> = None;
    for line in output.lines() {
        if let Some((name, outcome)) = line
            .strip_prefix("test ")
            .and_then(|rest| rest.split_once(" ... "))
        {
            match outcome {
                "ok" => run.results.insert(name.to_string(), true),
                "FAILED" => run.results.insert(name.to_string(), false),
                _ => None, // ignored
            };
            continue;
        }
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            if let Some((done, text)) = section.take() {
                run.failures.insert(done, text.trim().to_string());
            }
            section = Some((name.to_string(), String::new()));
            continue;
        }
        // The list of failed names after the sections ends the last one.
        if line == "failures:" {
            if let Some((done, text)) = section.take() {
                run.failures.insert(done, text.trim().to_string());
            }
            continue;
        }
        if let Some((_, text)) = section.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    if let Some((done, text)) = section {
        run.failures.insert(done, text.trim().to_string());
    }
    run
}

/// The names in `binary --list` output (`NAME: test` lines).
fn listed_tests(list: &str) -> Vec<String> {
    list.lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FAILED_RUN: &str = "
running 3 tests
test ch03::locate::fds_map_to_word_and_bit ... FAILED
test ch03::locate::the_bitmap_has_the_c_library_layout ... ok
test ch03::locate::out_of_range_fds_have_no_place ... FAILED
test ch03::locate::slow_one ... ignored, needs a network

failures:

---- ch03::locate::fds_map_to_word_and_bit stdout ----

thread 'ch03::locate::fds_map_to_word_and_bit' panicked at exercises/src/ch03_select.rs:22:5:
not yet implemented: ch03.1: locate fd 0 in the bitmap
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

---- ch03::locate::out_of_range_fds_have_no_place stdout ----

thread 'ch03::locate::out_of_range_fds_have_no_place' panicked at exercises/tests/ch03_select.rs:30:17:
assertion `left == right` failed
  left: Some((16, 1))
 right: None


failures:
    ch03::locate::fds_map_to_word_and_bit
    ch03::locate::out_of_range_fds_have_no_place

test result: FAILED. 1 passed; 2 failed; 1 ignored; 0 measured; 15 filtered out; finished in 0.00s

";

    #[test]
    fn reads_each_result_and_each_failure() {
        let run = read_output(FAILED_RUN);
        assert_eq!(run.results.len(), 3, "ignored tests are not results");
        assert!(run.results["ch03::locate::the_bitmap_has_the_c_library_layout"]);
        assert!(!run.results["ch03::locate::fds_map_to_word_and_bit"]);
        assert_eq!(run.failures.len(), 2);
        let first = &run.failures["ch03::locate::fds_map_to_word_and_bit"];
        assert!(first.starts_with("thread 'ch03::locate::fds_map_to_word_and_bit' panicked"));
        assert!(first.contains("not yet implemented: ch03.1: locate"));
        assert!(!first.contains("---- "), "one section per failure");
        let second = &run.failures["ch03::locate::out_of_range_fds_have_no_place"];
        assert!(second.ends_with("right: None"), "{second:?}");
    }

    #[test]
    fn a_passing_run_has_results_and_no_failures() {
        let run = read_output(
            "\nrunning 1 test\ntest ch08::x::y ... ok\n\ntest result: ok. 1 passed; 0 failed\n",
        );
        assert_eq!(
            run.results.into_iter().collect::<Vec<_>>(),
            [("ch08::x::y".to_string(), true)]
        );
        assert!(run.failures.is_empty());
    }

    #[test]
    fn output_cut_off_by_a_kill_keeps_what_it_has() {
        let run = read_output("running 2 tests\ntest a::b ... ok\n");
        assert_eq!(run.results.len(), 1);
    }

    #[test]
    fn a_wrapper_modules_prefix_comes_off_every_name() {
        let mut run = read_output("test ch03_select::ch03::a::b ... ok\ntest other::c ... ok\n");
        run.strip_name_prefix("ch03_select::");
        let names: Vec<&String> = run.results.keys().collect();
        assert_eq!(names, ["ch03::a::b", "other::c"]);
    }

    #[test]
    fn a_binary_past_its_deadline_is_killed_and_its_unfinished_tests_named() {
        // A stand-in for a test binary: one test passes, the other never ends.
        let dir = std::env::temp_dir().join(format!("runner-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let script = dir.join("fake-tests");
        std::fs::write(
            &script,
            "#!/bin/sh\ncase \"$*\" in\n*--list*) printf 'a: test\\nb: test\\n' ;;\n\
             *) echo 'test a ... ok'; exec sleep 30 ;;\nesac\n",
        )
        .unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        let started = Instant::now();
        let running = start(&script, "", &dir, Duration::from_millis(300)).unwrap();
        let run = finish(running).unwrap();
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "it was not killed"
        );
        assert_eq!(run.results.get("a"), Some(&true));
        assert_eq!(run.unfinished, ["b"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reads_test_names_from_a_listing() {
        let list = "ch01::echo::a: test\nch01::echo::b: test\n\n2 tests, 0 benchmarks\n";
        assert_eq!(listed_tests(list), ["ch01::echo::a", "ch01::echo::b"]);
    }
}
