//! Every program's `--help` says what that program does: its own doc comment, not the crate's
//! description (which clap shows when a program asks for `#[command(about)]` with no text).
//! The programs are read from the `[[bin]]` entries of `Cargo.toml`, so a new chapter's program is
//! checked without touching this file.

use std::path::PathBuf;
use std::process::Command;

/// The names of the package's programs, from its `Cargo.toml`.
fn programs() -> Vec<String> {
    let manifest = include_str!("../Cargo.toml");
    let mut names = Vec::new();
    let mut in_bin = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            in_bin = line.trim() == "[[bin]]";
        } else if let Some(name) = line.strip_prefix("name = ").filter(|_| in_bin) {
            names.push(name.trim().trim_matches('"').to_string());
        }
    }
    names
}

/// Where cargo put the programs: the integration tests run from `target/<profile>/deps/`, and
/// cargo builds the package's programs before it runs them.
fn program_path(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join(name)
}

#[test]
fn every_program_says_what_it_does() {
    let description = env!("CARGO_PKG_DESCRIPTION");
    let names = programs();
    assert!(
        names.len() >= 10,
        "too few [[bin]] entries found: {names:?}"
    );
    let mut problems = Vec::new();
    for name in names {
        let path = program_path(&name);
        let out = Command::new(&path)
            .arg("--help")
            .output()
            .unwrap_or_else(|e| panic!("could not run {}: {e}", path.display()));
        let help = String::from_utf8_lossy(&out.stdout);
        let first = help.lines().next().unwrap_or("");
        if !out.status.success() {
            problems.push(format!("{name} --help exited with {}", out.status));
        } else if help.contains(description) {
            problems.push(format!(
                "{name} --help shows the crate's description: {first:?}"
            ));
        } else if first.is_empty() || first.starts_with("Usage:") {
            problems.push(format!(
                "{name} --help does not start by saying what it does"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
