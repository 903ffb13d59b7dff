//! The chapter 8 program end to end: every puzzle prints what Node printed.

use std::process::Command;

#[test]
fn every_puzzle_matches_node() {
    let out = Command::new(env!("CARGO_BIN_EXE_ch08-ticks"))
        .output()
        .expect("run ch08-ticks");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{stdout}");
    assert!(!stdout.contains("DIFFERS"), "{stdout}");
    let n = eventloops::ch08_ticks::puzzles::PUZZLES.len();
    assert!(
        stdout.contains(&format!("{n} of {n} puzzles print what Node printed")),
        "{stdout}"
    );
}

#[test]
fn only_and_show_js_select_and_print_one_puzzle() {
    let out = Command::new(env!("CARGO_BIN_EXE_ch08-ticks"))
        .args(["--only", "19-", "--show-js"])
        .output()
        .expect("run ch08-ticks");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("== 19-microtasks-between-immediates: same as Node"));
    assert!(stdout.contains("| setImmediate(() => {"));
    assert!(stdout.contains("1 of 1 puzzle prints what Node printed"));
}
