//! Ordering conformance of the `fs` and `dns` layer: the programs 41–45 of `tests/node-ordering/`
//! ported to the book's loop must print exactly what Node.js printed. Whether each recording is
//! still what `node` prints is checked once, for every program, by `node/tests/conformance.rs`.

use eventloops::ch08_ticks::puzzles::Puzzle;
use eventloops::ch09_threadpool::puzzles::PUZZLES;

fn puzzle(name: &str) -> &'static Puzzle {
    PUZZLES
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no puzzle {name}"))
}

#[track_caller]
fn check(name: &str) {
    let p = puzzle(name);
    let got = (p.run)().unwrap_or_else(|e| panic!("{name}: {e}"));
    let expected: Vec<&str> = p.expected.lines().collect();
    assert_eq!(got, expected, "{name}: the Rust port and Node disagree");
}

#[test]
fn readfile_immediate_before_timeout() {
    check("41-readfile-immediate-before-timeout");
}

#[test]
fn readfile_missing_file() {
    check("42-readfile-missing-file");
}

#[test]
fn immediate_before_readfile() {
    check("43-immediate-before-readfile");
}

#[test]
fn writefile_readfile_unlink_stat() {
    check("44-writefile-readfile-unlink-stat");
}

#[test]
fn lookup_callback_in_poll_phase() {
    check("45-lookup-callback-in-poll-phase");
}

/// The ports are timing-free by design (each relies only on the order of the phases), so they
/// print the same every time: run each 20 times.
#[test]
fn every_port_prints_the_same_twenty_times() {
    for p in PUZZLES {
        let expected: Vec<&str> = p.expected.lines().collect();
        for run in 0..20 {
            let got = (p.run)().unwrap();
            assert_eq!(got, expected, "{} differs on run {run}", p.name);
        }
    }
}
