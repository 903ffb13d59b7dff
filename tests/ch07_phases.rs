//! The chapter 7 program end to end: the traced run prints its phases, the timer is late by
//! about as long as the I/O callback blocked, and the SVG is written.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_ch07-phases"))
        .args(args)
        .output()
        .expect("run ch07-phases");
    assert!(out.status.success(), "exit status {:?}", out.status);
    String::from_utf8(out.stdout).unwrap()
}

/// The socket becomes readable at 10 ms, 90 ms before the timer is due (room for a writer thread
/// that a loaded machine schedules late), and its callback blocks 150 ms, past the deadline.
#[test]
fn a_blocking_io_callback_makes_the_timer_late() {
    let stdout = run(&["--timer-ms", "100", "--io-ms", "10", "--block-ms", "150"]);
    // The first wait is for the timer: 100 ms minus however long the loop took to get there
    // (next to nothing, unless the machine is busy), rounded up.
    let (began, timeout) = stdout
        .lines()
        .find_map(|l| {
            let (span, rest) = l.split_once("poll     epoll_wait(timeout ")?;
            let began: f64 = span.split_whitespace().next()?.parse().ok()?;
            let timeout: f64 = rest.strip_suffix(" ms)")?.parse().ok()?;
            Some((began, timeout))
        })
        .unwrap_or_else(|| panic!("no epoll_wait line\n{stdout}"));
    assert!(
        timeout <= 100.0 && began + timeout >= 99.9,
        "a wait of {timeout} ms from {began} ms does not end at the timer\n{stdout}"
    );
    assert!(
        stdout.contains("poll     I/O callback, blocks 150 ms"),
        "{stdout}"
    );
    let number_after = |prefix: &str| -> f64 {
        stdout
            .lines()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|rest| rest.split(' ').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no line {prefix:?}\n{stdout}"))
    };
    let io_at = number_after("I/O callback ran at ");
    let fired = number_after("timer of 100 ms fired at ");
    // The timer waits for the callback: it cannot fire before the 150 ms block has ended (the
    // printed times are rounded to 0.1 ms).
    assert!(
        fired >= io_at + 150.0 - 0.1,
        "fired at {fired} ms, the callback ran at {io_at} ms\n{stdout}"
    );
}

#[test]
fn writes_the_timeline_as_svg() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch07-timeline.svg");
    let stdout = run(&[
        "--timer-ms",
        "20",
        "--io-ms",
        "5",
        "--block-ms",
        "2",
        "--svg",
        path.to_str().unwrap(),
    ]);
    assert!(stdout.contains("wrote "));
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
    assert!(svg.contains("setTimeout 20 ms") && svg.contains(">timers<"));
}

#[test]
fn help_names_the_flags() {
    let stdout = run(&["--help"]);
    for flag in ["--timer-ms", "--io-ms", "--block-ms", "--svg"] {
        assert!(stdout.contains(flag), "{flag} missing from --help");
    }
}
