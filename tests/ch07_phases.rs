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

#[test]
fn a_blocking_io_callback_makes_the_timer_late() {
    let stdout = run(&["--timer-ms", "60", "--io-ms", "40", "--block-ms", "40"]);
    // The first wait sleeps until the timer is due: 60 ms minus however long the loop took to
    // get there (next to nothing, unless the machine is busy), rounded up.
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
        timeout <= 60.0 && began + timeout >= 59.9,
        "a wait of {timeout} ms from {began} ms does not end at the timer\n{stdout}"
    );
    assert!(
        stdout.contains("poll     I/O callback, blocks 40 ms"),
        "{stdout}"
    );
    let fired: f64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("timer of 60 ms fired at "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .expect("the timer line");
    // The callback started at >= 40 ms and ran 40 ms: the timer cannot fire before 80 ms.
    assert!(fired >= 79.0, "fired at {fired} ms\n{stdout}");
}

#[test]
fn writes_the_timeline_as_svg() {
    let path = std::env::temp_dir().join(format!("ch07-timeline-{}.svg", std::process::id()));
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
