//! Every server program prints `listening on 127.0.0.1:PORT` as its first line, and only once it
//! is fully set up: the tests (and the book's scripts) connect, count fds and press Ctrl-C as soon
//! as they read that line, so whatever the program does after printing it races with them.
//!
//! The check: right after the line, the program's open fds (what each is, and its flags, such as
//! `O_NONBLOCK`) and its caught signals must already be what they are a moment later, while it
//! sits idle. A program that prints first and then creates its poller, registers its listener or
//! makes it non-blocking fails this on most of a few dozen starts.
//!
//! Linux only: the state is read from `/proc/PID/`.
#![cfg(target_os = "linux")]

mod util;

use std::collections::BTreeMap;
use std::time::Duration;
use util::Program;

/// A program that serves on a port, and the arguments that keep it idle after it starts.
struct Server {
    name: &'static str,
    exe: &'static str,
    args: &'static [&'static str],
}

/// Every program that listens, each mode that builds something different.
const SERVERS: &[Server] = &[
    Server {
        name: "ch01-loop",
        exe: env!("CARGO_BIN_EXE_ch01-loop"),
        args: &[],
    },
    Server {
        name: "ch01-loop",
        exe: env!("CARGO_BIN_EXE_ch01-loop"),
        args: &["--threads"],
    },
    Server {
        name: "ch02-nonblocking",
        exe: env!("CARGO_BIN_EXE_ch02-nonblocking"),
        args: &[],
    },
    Server {
        name: "ch03-select",
        exe: env!("CARGO_BIN_EXE_ch03-select"),
        args: &[],
    },
    Server {
        name: "ch04-registry",
        exe: env!("CARGO_BIN_EXE_ch04-registry"),
        args: &[],
    },
    // The timer and the helper's connection far away, so the program sits idle after starting.
    Server {
        name: "ch05-timers",
        exe: env!("CARGO_BIN_EXE_ch05-timers"),
        args: &["--timer-ms", "60000", "--connect-at-ms", "60000"],
    },
    Server {
        name: "ch06-pollers",
        exe: env!("CARGO_BIN_EXE_ch06-pollers"),
        args: &["--backend", "select"],
    },
    Server {
        name: "ch06-pollers",
        exe: env!("CARGO_BIN_EXE_ch06-pollers"),
        args: &["--backend", "poll"],
    },
    Server {
        name: "ch06-pollers",
        exe: env!("CARGO_BIN_EXE_ch06-pollers"),
        args: &["--backend", "epoll"],
    },
    // Only the file server: the other modes start work of their own at once.
    Server {
        name: "ch09-threadpool",
        exe: env!("CARGO_BIN_EXE_ch09-threadpool"),
        args: &["serve"],
    },
    // Both worker setups: the main thread must not announce before every worker listens.
    Server {
        name: "ch10-server",
        exe: env!("CARGO_BIN_EXE_ch10-server"),
        args: &["--workers", "1"],
    },
    Server {
        name: "ch10-server",
        exe: env!("CARGO_BIN_EXE_ch10-server"),
        args: &["--workers", "2"],
    },
];

/// The programs that do not listen (they measure or print, and exit), so that a new program must
/// be put in one list or the other.
const NOT_SERVERS: &[&str] = &[
    "ch01-threadcost",
    "ch07-phases",
    "ch08-ticks",
    "bench-loop",
    "bench-pool",
];

/// Starts per server: the race it looks for is lost on a good part of the starts, so a program
/// that prints too early fails here with near certainty.
const STARTS: usize = 20;

/// How long the program is left idle before the second look.
const SETTLE: Duration = Duration::from_millis(50);

/// What a process has set up, as far as `/proc` shows it: each open fd with what it is (the
/// `/proc/PID/fd` link: `socket:[…]`, `anon_inode:[eventpoll]`, …) and its `flags:` line from
/// `/proc/PID/fdinfo` (octal, `O_NONBLOCK` is 04000), and the standard signals (1-31) it catches
/// (`SigCgt`). The real-time signals are left out: the C library may install a handler for one
/// of its own (glibc: signal 33) on its own, as ch05-timers' helper thread shows.
#[derive(Debug, PartialEq, Eq)]
struct SetUp {
    fds: BTreeMap<u32, (String, String)>,
    caught_signals: u64,
}

fn set_up(pid: u32) -> SetUp {
    let mut fds = BTreeMap::new();
    for entry in std::fs::read_dir(format!("/proc/{pid}/fd")).expect("/proc/PID/fd") {
        let entry = entry.unwrap();
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        // An fd closed between the listing and these reads is simply left out.
        let Ok(what) = std::fs::read_link(entry.path()) else {
            continue;
        };
        let Ok(info) = std::fs::read_to_string(format!("/proc/{pid}/fdinfo/{fd}")) else {
            continue;
        };
        let flags = info
            .lines()
            .find_map(|l| l.strip_prefix("flags:"))
            .unwrap_or("")
            .trim()
            .to_string();
        fds.insert(fd, (what.to_string_lossy().into_owned(), flags));
    }
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let caught = status
        .lines()
        .find_map(|l| l.strip_prefix("SigCgt:"))
        .expect("SigCgt in /proc/PID/status");
    SetUp {
        fds,
        caught_signals: u64::from_str_radix(caught.trim(), 16).unwrap() & 0x7fff_ffff,
    }
}

/// Whether `signal` is in a `SigCgt` mask (bit `signal - 1`).
fn catches(mask: u64, signal: libc::c_int) -> bool {
    mask & (1 << (signal - 1)) != 0
}

#[test]
fn listening_is_printed_only_once_the_program_is_fully_set_up() {
    let checks: Vec<_> = SERVERS
        .iter()
        .map(|server| {
            std::thread::spawn(move || {
                for start in 0..STARTS {
                    let program = Program::start(server.exe, server.args);
                    let at_the_line = set_up(program.pid());
                    std::thread::sleep(SETTLE);
                    let later = set_up(program.pid());
                    let what = format!("{} {:?}, start {start}", server.name, server.args);
                    assert_eq!(
                        at_the_line, later,
                        "{what}: still setting up after printing `listening on`"
                    );
                    assert!(
                        catches(at_the_line.caught_signals, libc::SIGINT)
                            && catches(at_the_line.caught_signals, libc::SIGTERM),
                        "{what}: no Ctrl-C handler when it said it was listening"
                    );
                }
            })
        })
        .collect();
    let failed = checks.into_iter().filter_map(|c| c.join().err()).count();
    assert_eq!(failed, 0, "see the panics above");
}

/// Every `[[bin]]` of Cargo.toml is in `SERVERS` or `NOT_SERVERS`: a new chapter's program is
/// checked as soon as it exists.
#[test]
fn every_program_is_in_one_of_the_lists() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("Cargo.toml");
    let mut lines = manifest.lines();
    let mut bins = Vec::new();
    while let Some(line) = lines.next() {
        if line.trim() == "[[bin]]" {
            let name = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("name = "))
                .map(|n| n.trim_matches('"').to_string())
                .expect("`name = \"…\"` right after [[bin]]");
            bins.push(name);
        }
    }
    assert!(!bins.is_empty());
    for bin in bins {
        assert!(
            SERVERS.iter().any(|s| s.name == bin) || NOT_SERVERS.contains(&bin.as_str()),
            "new program {bin}: add it to SERVERS in tests/listening_line.rs if it prints \
             `listening on`, or to NOT_SERVERS if it does not"
        );
    }
}
