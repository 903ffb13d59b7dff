//! Conformance: every program in `tests/node-ordering/` (`.js`, and `.mjs` for ES modules)
//! runs unchanged on `ch11-node` and
//! prints exactly what Node.js printed (`NN-name.expected`), and exits with Node's exit code
//! (`NN-name.exit` when it is not 0). stderr is not compared: error messages and stack traces
//! are the engine's own.
//!
//! A second test re-runs every program with `node`, when it is installed, to check that the
//! recording is still Node's.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::Mutex;
use std::time::Duration;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/node-ordering")
}

/// Every program, by file name, in file order.
fn programs() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "js" || e == "mjs"))
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// `NN-name` of `NN-name.js` or `NN-name.mjs`.
fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

struct Expected {
    stdout: String,
    code: i32,
}

fn expected(file: &str) -> Expected {
    let name = stem(file);
    let stdout = std::fs::read_to_string(dir().join(format!("{name}.expected")))
        .unwrap_or_else(|e| panic!("{name}.expected: {e}"));
    let code = std::fs::read_to_string(dir().join(format!("{name}.exit")))
        .map(|s| s.trim().parse().expect("an exit code"))
        .unwrap_or(0);
    Expected { stdout, code }
}

/// Runs `program file` in the programs' directory, killing it if it outlives a generous limit
/// (a program that never ends is a failure, not a hung test).
fn run(program: &str, file: &str) -> Output {
    let child = Command::new(program)
        .arg(file)
        .current_dir(dir())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {program}: {e}"));
    let pid = child.id();
    let (tx, rx) = std::sync::mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        if rx.recv_timeout(Duration::from_secs(60)).is_err() {
            // SAFETY: kill only sends a signal to the child we started and have not reaped.
            unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        }
    });
    let output = child.wait_with_output().unwrap();
    drop(tx);
    watchdog.join().unwrap();
    output
}

/// Runs every program with `program`, two at a time (as many as the book's machine has cores:
/// the programs' timers assume they are not starved), and returns what differs from the
/// recording.
fn check_all(program: &str) -> Vec<String> {
    let names = programs();
    let next = Mutex::new(names.iter());
    let problems = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                loop {
                    let Some(name) = next.lock().unwrap().next() else {
                        return;
                    };
                    let want = expected(name);
                    let out = run(program, name);
                    let stdout = String::from_utf8_lossy(&out.stdout);
                    let code = out.status.code().unwrap_or(-1);
                    if stdout != want.stdout || code != want.code {
                        problems.lock().unwrap().push(format!(
                            "== {name}: exit {code} (want {})\n-- got:\n{stdout}-- want:\n{}-- stderr:\n{}",
                            want.code,
                            want.stdout,
                            String::from_utf8_lossy(&out.stderr)
                        ));
                    }
                }
            });
        }
    });
    problems.into_inner().unwrap()
}

#[test]
fn every_program_prints_what_node_printed() {
    let problems = check_all(env!("CARGO_BIN_EXE_ch11-node"));
    assert!(
        problems.is_empty(),
        "{} of {} programs differ from Node:\n{}",
        problems.len(),
        programs().len(),
        problems.join("\n")
    );
}

#[test]
fn node_still_prints_the_recorded_output() {
    if Command::new("node").arg("--version").output().is_err() {
        eprintln!("note: `node` is not installed; not re-checking the recorded outputs");
        return;
    }
    let problems = check_all("node");
    assert!(
        problems.is_empty(),
        "Node's output changed:\n{}",
        problems.join("\n")
    );
}

#[test]
fn every_program_has_its_recording() {
    for file in programs() {
        let name = stem(&file);
        assert!(
            dir().join(format!("{name}.expected")).is_file(),
            "{file} has no {name}.expected"
        );
    }
}
