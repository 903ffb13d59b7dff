//! Builds the chapters' test binaries, all in one `cargo build --tests --keep-going`, and reads
//! from cargo's JSON messages where each binary is and which chapter failed to compile.
//!
//! One cargo run for every chapter is what makes a progress check fast (cargo starts once and
//! compiles in parallel), and `--keep-going` is what keeps one chapter's compile error from
//! stopping the others. (`cargo test --no-run` has no `--keep-going`; `cargo build --tests`
//! builds the same binaries, which `cargo test` then reuses.)

use crate::repo::Repo;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

/// The learner's crates or their finished twins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// `exercises-chNN`: the learner's files.
    Exercises,
    /// `solutions-chNN`: the finished versions.
    Solutions,
}

impl Side {
    /// The package of chapter `chapter` (`ch03`) on this side.
    pub fn package(self, chapter: &str) -> String {
        match self {
            Side::Exercises => format!("exercises-{chapter}"),
            Side::Solutions => format!("solutions-{chapter}"),
        }
    }
}

/// What one build produced, by module (`ch03_select`).
#[derive(Debug, Default)]
pub struct Built {
    /// Each chapter's test binary.
    pub binaries: BTreeMap<String, PathBuf>,
    /// Each chapter's compile errors, as rustc prints them.
    pub errors: BTreeMap<String, String>,
    /// Errors outside the chapters' files (the library they use, a manifest), for every chapter.
    pub other_errors: String,
}

/// Builds the test binaries of `modules` (`ch03_select`, ...) on `side`. With `chatty`, says so
/// on stderr when the build is slow.
pub fn build(repo: &Repo, side: Side, modules: &[&str], chatty: bool) -> std::io::Result<Built> {
    let mut command = Command::new(&repo.cargo);
    command
        .current_dir(&repo.root)
        .args(["build", "--tests", "--keep-going", "--message-format=json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for module in modules {
        command.args(["-p", &side.package(&module[..4])]);
    }
    let mut child = command.spawn()?;
    let mut stderr = child.stderr.take().expect("piped");
    let stderr_reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr.read_to_string(&mut text);
        text
    });
    let slow = chatty.then(|| say_if_slow(Duration::from_secs(2)));
    let mut stdout = String::new();
    child
        .stdout
        .take()
        .expect("piped")
        .read_to_string(&mut stdout)?;
    child.wait()?;
    drop(slow);
    let mut built = read_messages(&stdout);
    let stderr = stderr_reader.join().unwrap_or_default();
    // Cargo's own errors (a broken manifest, say) come as text on stderr, not as JSON.
    if built.binaries.is_empty() && built.errors.is_empty() && built.other_errors.is_empty() {
        built.other_errors = stderr
            .lines()
            .filter(|line| line.starts_with("error"))
            .collect::<Vec<_>>()
            .join("\n");
    }
    Ok(built)
}

/// Reads `cargo build --message-format=json` output: test binaries and compile errors, each
/// filed under the module its target's root file is named after.
pub fn read_messages(json_lines: &str) -> Built {
    let mut built = Built::default();
    for line in json_lines.lines() {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        let module = message["target"]["src_path"]
            .as_str()
            .and_then(|path| Path::new(path).file_stem())
            .and_then(|stem| stem.to_str())
            .filter(|stem| is_chapter_module(stem))
            .map(str::to_string);
        match message["reason"].as_str() {
            Some("compiler-artifact") if message["profile"]["test"] == true => {
                if let (Some(module), Some(binary)) = (module, message["executable"].as_str()) {
                    built.binaries.insert(module, PathBuf::from(binary));
                }
            }
            Some("compiler-message") if message["message"]["level"] == "error" => {
                let rendered = message["message"]["rendered"].as_str().unwrap_or_default();
                let errors = match module {
                    Some(module) => built.errors.entry(module).or_default(),
                    None => &mut built.other_errors,
                };
                // A file compiled into two targets reports its errors twice.
                if !errors.contains(rendered) {
                    errors.push_str(rendered);
                }
            }
            _ => {}
        }
    }
    built
}

/// `ch03_select` is; `lib`, `time_limit` are not.
fn is_chapter_module(stem: &str) -> bool {
    let bytes = stem.as_bytes();
    stem.starts_with("ch")
        && bytes.len() > 5
        && bytes[2].is_ascii_digit()
        && bytes[3].is_ascii_digit()
        && bytes[4] == b'_'
}

/// Tells the reader, once `after` has passed, that the build is still going (the first one
/// compiles the library and takes a few minutes). Dropping the guard cancels it.
fn say_if_slow(after: Duration) -> std::sync::mpsc::Sender<()> {
    let (cancel, cancelled) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if cancelled.recv_timeout(after) == Err(std::sync::mpsc::RecvTimeoutError::Timeout) {
            eprintln!("(building the exercises' tests; the first build takes a few minutes)");
        }
    });
    cancel
}

#[cfg(test)]
mod tests {
    use super::*;

    const MESSAGES: &str = r#"{"reason":"compiler-artifact","profile":{"test":false},"target":{"src_path":"/r/exercises/src/ch01_loop.rs"},"executable":null}
{"reason":"compiler-artifact","profile":{"test":true},"target":{"src_path":"/r/exercises/crates/ch01/../../tests/ch01_loop.rs"},"executable":"/r/target/debug/deps/ch01_loop-abc"}
{"reason":"compiler-message","target":{"src_path":"/r/exercises/crates/ch03/../../src/ch03_select.rs"},"message":{"level":"error","rendered":"error[E0308]: mismatched types\n"}}
{"reason":"compiler-message","target":{"src_path":"/r/exercises/crates/ch03/../../src/ch03_select.rs"},"message":{"level":"warning","rendered":"warning: unused variable\n"}}
{"reason":"compiler-message","target":{"src_path":"/r/exercises/crates/ch03/../../src/ch03_select.rs"},"message":{"level":"failure-note","rendered":"For more information\n"}}
{"reason":"compiler-message","target":{"src_path":"/r/src/lib.rs"},"message":{"level":"error","rendered":"error: in the library\n"}}
not json: ignored
{"reason":"build-finished","success":false}"#;

    #[test]
    fn files_binaries_and_errors_under_their_chapter() {
        let built = read_messages(MESSAGES);
        assert_eq!(
            built.binaries["ch01_loop"],
            PathBuf::from("/r/target/debug/deps/ch01_loop-abc")
        );
        assert_eq!(
            built.binaries.len(),
            1,
            "the library itself is no test binary"
        );
        assert_eq!(
            built.errors["ch03_select"],
            "error[E0308]: mismatched types\n"
        );
        assert_eq!(built.errors.len(), 1, "warnings and notes are not errors");
        assert_eq!(built.other_errors, "error: in the library\n");
    }

    #[test]
    fn the_same_error_from_two_targets_is_kept_once() {
        let line = r#"{"reason":"compiler-message","target":{"src_path":"/r/tests/ch03_select.rs"},"message":{"level":"error","rendered":"error: once\n"}}"#;
        let built = read_messages(&format!("{line}\n{line}"));
        assert_eq!(built.errors["ch03_select"], "error: once\n");
    }

    #[test]
    fn chapter_modules_are_told_from_other_files() {
        assert!(is_chapter_module("ch03_select"));
        assert!(is_chapter_module("ch10_fastest"));
        assert!(!is_chapter_module("time_limit"));
        assert!(!is_chapter_module("lib"));
        assert!(!is_chapter_module("ch3_x"));
    }
}
