//! The program output the book shows, where it is deterministic, is still what the programs
//! print. The scripts in `book/scripts/` regenerate every output file, but nothing makes anyone
//! run them after a change; these tests notice the drift instead. (Outputs with timings, ports
//! or CPU figures are not compared: they differ on every run.)

use std::fs;
use std::path::Path;
use std::process::Command;

fn output_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("book/src/output")
        .join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `command` run with `args`: its standard output and standard error, together.
fn run(exe: &Path, args: &[&str]) -> (String, Option<i32>) {
    let out = Command::new(exe)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", exe.display()));
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (text, out.status.code())
}

/// The file's text after its first line, the `$ command` line the script writes.
fn after_command_line<'a>(file: &'a str, expected_command: &str) -> &'a str {
    let (first, rest) = file.split_once('\n').unwrap_or((file, ""));
    assert_eq!(
        first,
        format!("$ {expected_command}"),
        "the file's command line"
    );
    rest
}

#[track_caller]
fn assert_same(file: &str, shown: &str, printed: &str, script: &str) {
    assert!(
        shown == printed,
        "book/src/output/{file} no longer matches what the program prints; \
         run `bash book/scripts/{script}`.\n--- shown\n{shown}\n--- printed now\n{printed}"
    );
}

#[test]
fn ch08_puzzle_output_is_current() {
    let exe = Path::new(env!("CARGO_BIN_EXE_ch08-ticks"));
    for (file, args) in [
        ("ch08-ticks.txt", vec![]),
        ("ch08-puzzle-18.txt", vec!["--only", "18-", "--show-js"]),
    ] {
        let text = output_file(file);
        let command = ["cargo run --bin ch08-ticks".to_string()]
            .into_iter()
            .chain((!args.is_empty()).then(|| format!("-- {}", args.join(" "))))
            .collect::<Vec<_>>()
            .join(" ");
        let shown = after_command_line(&text, &command);
        let (printed, _) = run(exe, &args);
        assert_same(file, shown, &printed, "ch08-ticks.sh");
    }
}

#[cfg(target_os = "linux")]
#[test]
fn ch06_kqueue_refusal_is_current() {
    let file = "ch06-kqueue-on-linux.txt";
    let text = output_file(file);
    let shown = after_command_line(
        &text,
        "cargo run --release --bin ch06-pollers -- --backend kqueue",
    );
    let exe = Path::new(env!("CARGO_BIN_EXE_ch06-pollers"));
    let (mut printed, code) = run(exe, &["--port", "0", "--backend", "kqueue"]);
    printed.push_str(&format!("(exit status {})\n", code.unwrap_or(-1)));
    assert_same(file, shown, &printed, "ch06-pollers.sh");
}

#[cfg(target_os = "linux")]
/// The tests of the newest build of this package's `ch06_pollers` integration test: `cargo test`
/// builds every test binary before it runs any, so that one is current. (The solutions of
/// chapter 6 have a test target of the same name in the same directory: theirs has no
/// `edge_triggered` tests, which is how the two are told apart.)
fn ch06_tests() -> Option<Vec<String>> {
    let deps = std::env::current_exe().ok()?.parent()?.to_path_buf();
    let mut binaries: Vec<std::path::PathBuf> = fs::read_dir(deps)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            name.starts_with("ch06_pollers-") && p.extension().is_none()
        })
        .collect();
    binaries.sort_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok());
    binaries.into_iter().rev().find_map(|binary| {
        let (list, _) = run(&binary, &["--list", "--format", "terse"]);
        let tests: Vec<String> = list
            .lines()
            .filter_map(|l| l.strip_suffix(": test"))
            .map(str::to_string)
            .collect();
        tests
            .iter()
            .any(|t| t.starts_with("edge_triggered::"))
            .then_some(tests)
    })
}

/// The edge-triggered tests the page lists, and how many others `cargo test` filters out (on
/// Linux: the edge-triggered tests are epoll's, and the others differ in number elsewhere).
#[cfg(target_os = "linux")]
#[test]
fn ch06_edge_test_listing_is_current() {
    let file = "ch06-edge-tests.txt";
    let text = output_file(file);
    let shown = after_command_line(
        &text,
        "cargo test -p eventloops --test ch06_pollers edge_triggered",
    );
    let Some(tests) = ch06_tests() else {
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED ch06_edge_test_listing_is_current: the ch06_pollers test binary is not \
             built (plain `cargo test` builds it) ***\n"
        );
        return;
    };
    let edge: Vec<&String> = tests
        .iter()
        .filter(|t| t.starts_with("edge_triggered::"))
        .collect();
    let mut printed = String::new();
    for name in &edge {
        printed.push_str(&format!("test {name} ... ok\n"));
    }
    printed.push_str(&format!(
        "test result: ok. {} passed; 0 failed; 0 ignored; 0 measured; {} filtered out; finished in …\n",
        edge.len(),
        tests.len() - edge.len()
    ));
    assert_same(file, shown, &printed, "ch06-pollers.sh");
}
