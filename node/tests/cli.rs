//! The `ch11-node` program end to end: `--help`, `--trace`, `--compare`, and bad input.

use std::process::Command;

fn ch11(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_ch11-node"))
        .args(args)
        .current_dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/node-ordering"
        ))
        .output()
        .expect("run ch11-node")
}

#[test]
fn help_says_what_it_does_and_names_the_flags() {
    let out = ch11(&["--help"]);
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for needle in ["node file.js", "--trace", "--compare", "QuickJS"] {
        assert!(
            text.contains(needle),
            "{needle} missing from --help:\n{text}"
        );
    }
}

#[test]
fn trace_writes_a_timeline_of_the_javascript_callbacks() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch11-trace.svg");
    let out = ch11(&[
        "--trace",
        path.to_str().unwrap(),
        "19-microtasks-between-immediates.js",
    ]);
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../tests/node-ordering/19-microtasks-between-immediates.expected"
        ))
        .unwrap(),
        "tracing does not change what the program prints"
    );
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    for needle in [
        "main module",
        "setImmediate:",
        "nextTicks + microtasks",
        "immediate A",
        ">check<",
    ] {
        assert!(svg.contains(needle), "{needle} missing from the SVG");
    }
}

#[test]
fn compare_shows_both_outputs_or_says_node_is_missing() {
    let out = ch11(&["--compare", "02-nexttick-before-promise.js"]);
    let text = String::from_utf8_lossy(&out.stdout);
    if Command::new("node").arg("--version").output().is_err() {
        assert!(String::from_utf8_lossy(&out.stderr).contains("not installed"));
        return;
    }
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("ch11-node") && text.contains("node v"),
        "{text}"
    );
    assert!(text.contains("same output and exit code"), "{text}");
}

#[test]
fn a_missing_script_argument_is_a_usage_error() {
    let out = ch11(&[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Usage"));
}

#[test]
fn a_script_that_does_not_exist_fails_like_node() {
    let out = ch11(&["no-such-program.js"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Cannot find module"));
}

#[test]
fn arguments_after_the_script_reach_process_argv() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch11-argv");
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("argv.js");
    std::fs::write(&script, "console.log(process.argv.slice(2).join(' '))").unwrap();
    let out = ch11(&[script.to_str().unwrap(), "a", "--flag", "b"]);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), "a --flag b\n");
}
