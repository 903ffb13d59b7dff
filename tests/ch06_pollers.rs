//! Chapter 6: one conformance suite run against every backend this OS has, the edge-triggered
//! pitfall on epoll, and the chat program on each backend.

#[path = "util/chat.rs"]
#[allow(dead_code)] // chapter 6 runs a subset of the chat checks
mod chat;
mod util;

use eventloops::ch06_pollers::{Event, Interest, Poll, Poller, Select, Token};
use eventloops::sys::limits;
use std::io::{self, Read, Write};
use std::os::fd::{AsFd, AsRawFd};
use std::os::unix::net::UnixStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Waits up to a second: long enough for any event that is coming, short enough not to hang.
const SOON_MS: i32 = 1000;

#[track_caller]
fn wait<P: Poller>(poller: &mut P, max: usize, timeout_ms: i32) -> Vec<Event> {
    let mut events = vec![Event {
        token: Token(999),
        readable: false,
        writable: false,
        hangup: false,
        error: false,
    }];
    let n = poller.wait(&mut events, max, timeout_ms).unwrap();
    assert_eq!(n, events.len(), "wait must return the number of events");
    events
}

fn pair() -> (UnixStream, UnixStream) {
    UnixStream::pair().unwrap()
}

// ANCHOR: conformance
fn reports_readable_with_its_token<P: Poller>() {
    let mut p = P::new().unwrap();
    let (a, mut b) = pair();
    p.register(a.as_fd(), Token(7), Interest::READABLE).unwrap();
    assert!(wait(&mut p, 16, 0).is_empty(), "nothing to read yet");
    b.write_all(b"x").unwrap();
    let events = wait(&mut p, 16, SOON_MS);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].token, Token(7));
    assert!(events[0].readable && !events[0].writable);
}

fn stays_readable_until_read_level_triggered<P: Poller>() {
    let mut p = P::new().unwrap();
    let (mut a, mut b) = pair();
    p.register(a.as_fd(), Token(1), Interest::READABLE).unwrap();
    b.write_all(b"xy").unwrap();
    assert_eq!(wait(&mut p, 16, SOON_MS).len(), 1);
    assert_eq!(wait(&mut p, 16, 0).len(), 1, "not read yet: reported again");
    let mut buf = [0u8; 2];
    a.read_exact(&mut buf).unwrap();
    assert!(wait(&mut p, 16, 0).is_empty(), "all read: quiet");
}
// ANCHOR_END: conformance

fn reports_writable<P: Poller>() {
    let mut p = P::new().unwrap();
    let (a, _b) = pair();
    p.register(a.as_fd(), Token(2), Interest::WRITABLE).unwrap();
    let events = wait(&mut p, 16, SOON_MS);
    assert_eq!(events.len(), 1);
    assert!(events[0].writable && !events[0].readable);
}

fn reports_hangup_as_readable_then_eof<P: Poller>() {
    let mut p = P::new().unwrap();
    let (mut a, b) = pair();
    p.register(a.as_fd(), Token(3), Interest::READABLE).unwrap();
    drop(b);
    let events = wait(&mut p, 16, SOON_MS);
    assert_eq!(events.len(), 1);
    assert!(events[0].readable, "a hang-up must wake a reader");
    let mut buf = [0u8; 1];
    assert_eq!(
        a.read(&mut buf).unwrap(),
        0,
        "and the read sees end of file"
    );
}

fn deregistered_fds_are_not_reported<P: Poller>() {
    let mut p = P::new().unwrap();
    let (a, mut b) = pair();
    p.register(a.as_fd(), Token(4), Interest::READABLE).unwrap();
    p.deregister(a.as_fd()).unwrap();
    b.write_all(b"x").unwrap();
    assert!(wait(&mut p, 16, 50).is_empty());
    let again = p.deregister(a.as_fd()).unwrap_err();
    assert_eq!(again.raw_os_error(), Some(libc::ENOENT));
}

fn reregister_changes_interest_and_token<P: Poller>() {
    let mut p = P::new().unwrap();
    let (a, _b) = pair();
    p.register(a.as_fd(), Token(5), Interest::READABLE).unwrap();
    assert!(wait(&mut p, 16, 0).is_empty());
    p.reregister(a.as_fd(), Token(6), Interest::WRITABLE)
        .unwrap();
    let events = wait(&mut p, 16, SOON_MS);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].token, Token(6));
    assert!(events[0].writable);
}

fn registration_errors_match_epoll<P: Poller>() {
    let mut p = P::new().unwrap();
    let (a, b) = pair();
    p.register(a.as_fd(), Token(1), Interest::READABLE).unwrap();
    let twice = p.register(a.as_fd(), Token(1), Interest::READABLE);
    assert_eq!(twice.unwrap_err().raw_os_error(), Some(libc::EEXIST));
    let unknown = p.reregister(b.as_fd(), Token(2), Interest::READABLE);
    assert_eq!(unknown.unwrap_err().raw_os_error(), Some(libc::ENOENT));
}

fn times_out_with_no_events<P: Poller>() {
    let mut p = P::new().unwrap();
    let (a, _b) = pair();
    p.register(a.as_fd(), Token(1), Interest::READABLE).unwrap();
    let start = Instant::now();
    assert!(wait(&mut p, 16, 100).is_empty());
    let waited = start.elapsed();
    assert!(
        waited >= Duration::from_millis(90),
        "returned early: {waited:?}"
    );
    assert!(waited < Duration::from_secs(5), "overslept: {waited:?}");
}

fn returns_at_most_max_events<P: Poller>() {
    let mut p = P::new().unwrap();
    let pairs: Vec<_> = (0..3).map(|_| pair()).collect();
    for (i, (a, _)) in pairs.iter().enumerate() {
        p.register(a.as_fd(), Token(i), Interest::WRITABLE).unwrap();
    }
    assert_eq!(wait(&mut p, 2, SOON_MS).len(), 2);
    assert_eq!(wait(&mut p, 16, SOON_MS).len(), 3);
}

extern "C" fn ignore_signal(_signal: libc::c_int) {}

/// Handles `SIGUSR1` with a handler that does nothing, installed without `SA_RESTART` (like the
/// programs' Ctrl-C handler), so a blocking wait it interrupts fails with `EINTR`. `SIGUSR1`
/// rather than `SIGINT`, so Ctrl-C still stops the test run.
fn install_sigusr1_handler() {
    // SAFETY: all-zero is a valid `sigaction` (empty mask, no flags), then filled in.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = ignore_signal as *const () as libc::sighandler_t;
    // SAFETY: `action.sa_mask` is a valid, writable sigset_t.
    unsafe { libc::sigemptyset(&mut action.sa_mask) };
    // SAFETY: `action` is initialised and its handler does nothing at all.
    let rc = unsafe { libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()) };
    assert_eq!(rc, 0);
}

/// A signal during a wait comes back as `Interrupted`, not as an empty wait or a retry.
fn a_signal_interrupts_the_wait<P: Poller>() {
    install_sigusr1_handler();
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready_rx) = mpsc::channel();
    let waiter = std::thread::spawn(move || {
        let mut p = P::new().unwrap();
        let (a, _b) = pair();
        p.register(a.as_fd(), Token(1), Interest::READABLE).unwrap();
        // SAFETY: pthread_self takes no arguments and cannot fail.
        ready_tx.send(unsafe { libc::pthread_self() }).unwrap();
        let mut events = Vec::new();
        tx.send(p.wait(&mut events, 16, 5000).map_err(|e| e.kind()))
            .unwrap();
    });
    let thread = ready_rx.recv().unwrap();
    // Keep poking until the waiter reports: a signal that lands before the wait starts is lost.
    let result = loop {
        // SAFETY: `thread` is the waiter's id, valid until it is joined below.
        unsafe { libc::pthread_kill(thread, libc::SIGUSR1) };
        if let Ok(result) = rx.recv_timeout(Duration::from_millis(50)) {
            break result;
        }
    };
    waiter.join().unwrap();
    assert_eq!(result, Err(io::ErrorKind::Interrupted));
}

// ANCHOR: many_fds
/// 2000 connections watched at once, one of them ready: found, and nothing else reported.
fn watches_2000_fds<P: Poller>() {
    limits::raise_fd_limit(4200).unwrap();
    if limits::fd_limit().unwrap().soft < 4200 {
        eprintln!("skipped: the hard fd limit is below 4200");
        return;
    }
    let mut p = P::new().unwrap();
    let pairs: Vec<_> = (0..2000).map(|_| pair()).collect();
    for (i, (a, _)) in pairs.iter().enumerate() {
        p.register(a.as_fd(), Token(i), Interest::READABLE).unwrap();
    }
    assert!(pairs.last().unwrap().0.as_raw_fd() > 1024);
    (&pairs[1500].1).write_all(b"x").unwrap();
    let events = wait(&mut p, 64, SOON_MS);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].token, Token(1500));
}
// ANCHOR_END: many_fds

macro_rules! tests_for {
    ($poller:ty; $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                super::$name::<$poller>()
            }
        )*
    };
}

// ANCHOR: instantiate
/// The suite, instantiated for one backend: one `#[test]` per check, named after it.
macro_rules! conformance {
    ($module:ident: $poller:ty $(, $extra:ident)*) => {
        mod $module {
            #[allow(unused_imports)]
            use super::*;
            tests_for!($poller;
                reports_readable_with_its_token,
                stays_readable_until_read_level_triggered,
                reports_writable,
                reports_hangup_as_readable_then_eof,
                deregistered_fds_are_not_reported,
                reregister_changes_interest_and_token,
                registration_errors_match_epoll,
                times_out_with_no_events,
                returns_at_most_max_events,
                a_signal_interrupts_the_wait,
                $($extra,)*
            );
        }
    };
}

conformance!(select: Select);
conformance!(poll: Poll, watches_2000_fds);
#[cfg(any(target_os = "linux", target_os = "android"))]
conformance!(epoll: eventloops::ch06_pollers::Epoll, watches_2000_fds);
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
conformance!(kqueue: eventloops::ch06_pollers::Kqueue, watches_2000_fds);
// ANCHOR_END: instantiate

// ANCHOR: select_refuses
/// select cannot hold an fd >= FD_SETSIZE: registering one fails with a clear error (and
/// nothing is written past the bitmap); the poller keeps working for the others.
#[test]
fn select_refuses_an_fd_too_large_for_fd_set() {
    use eventloops::ch03_select::FD_SETSIZE;
    limits::raise_fd_limit(FD_SETSIZE as libc::rlim_t + 64).unwrap();
    let mut p = Select::new().unwrap();
    let (small, mut peer) = pair();
    p.register(small.as_fd(), Token(1), Interest::READABLE)
        .unwrap();
    // Open sockets until one lands at or past FD_SETSIZE.
    let mut held = Vec::new();
    let big = loop {
        let (a, _b) = pair();
        if a.as_raw_fd() as usize >= FD_SETSIZE {
            break a;
        }
        held.push(a);
    };
    let err = p
        .register(big.as_fd(), Token(2), Interest::READABLE)
        .unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("FD_SETSIZE"), "unclear: {err}");
    peer.write_all(b"x").unwrap();
    let events = wait(&mut p, 16, SOON_MS);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].token, Token(1));
}
// ANCHOR_END: select_refuses

#[cfg(not(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)))]
#[test]
fn kqueue_is_refused_with_a_clear_error_where_missing() {
    let err = eventloops::ch06_pollers::Kqueue::new().unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::Unsupported);
    assert!(err.to_string().contains("kqueue exists only on macOS"));
}

/// Level- versus edge-triggered epoll.
#[cfg(any(target_os = "linux", target_os = "android"))]
mod edge_triggered {
    use super::*;
    use eventloops::ch06_pollers::Epoll;

    fn nonblocking_pair() -> (UnixStream, UnixStream) {
        let (a, b) = pair();
        a.set_nonblocking(true).unwrap();
        (a, b)
    }

    // ANCHOR: edge_stall
    /// The pitfall: two chunks arrive, the reader takes one, and the next wait says nothing
    /// although the second chunk is there. Edge-triggered means "tell me when it *changes*".
    #[test]
    fn a_reader_that_does_not_drain_stalls() {
        let mut p = Epoll::new().unwrap();
        let (mut a, mut b) = nonblocking_pair();
        p.register_edge_triggered(a.as_fd(), Token(1), Interest::READABLE)
            .unwrap();
        b.write_all(b"one").unwrap();
        b.write_all(b"two").unwrap();
        assert_eq!(wait(&mut p, 16, SOON_MS).len(), 1);
        let mut chunk = [0u8; 3];
        a.read_exact(&mut chunk).unwrap(); // only the first chunk
        assert_eq!(&chunk, b"one");

        assert!(wait(&mut p, 16, 100).is_empty(), "no new edge, no event");
        a.read_exact(&mut chunk).unwrap(); // ... yet the data was there all along
        assert_eq!(&chunk, b"two");
    }
    // ANCHOR_END: edge_stall

    /// The same sequence level-triggered: the unread chunk is reported again.
    #[test]
    fn level_triggered_reports_the_leftover_again() {
        let mut p = Epoll::new().unwrap();
        let (mut a, mut b) = nonblocking_pair();
        p.register(a.as_fd(), Token(1), Interest::READABLE).unwrap();
        b.write_all(b"one").unwrap();
        b.write_all(b"two").unwrap();
        assert_eq!(wait(&mut p, 16, SOON_MS).len(), 1);
        let mut chunk = [0u8; 3];
        a.read_exact(&mut chunk).unwrap();
        assert_eq!(wait(&mut p, 16, 0).len(), 1, "still readable: reported");
    }

    // ANCHOR: edge_drain
    /// The fix: read until `EAGAIN`. Then the socket is empty, so the next arrival is an edge.
    #[test]
    fn draining_to_eagain_rearms_the_edge() {
        let mut p = Epoll::new().unwrap();
        let (mut a, mut b) = nonblocking_pair();
        p.register_edge_triggered(a.as_fd(), Token(1), Interest::READABLE)
            .unwrap();
        b.write_all(b"one").unwrap();
        b.write_all(b"two").unwrap();
        assert_eq!(wait(&mut p, 16, SOON_MS).len(), 1);
        let mut got = Vec::new();
        let mut buf = [0u8; 2];
        loop {
            match a.read(&mut buf) {
                Ok(n) => got.extend_from_slice(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => panic!("read: {e}"),
            }
        }
        assert_eq!(got, b"onetwo");
        b.write_all(b"three").unwrap();
        let events = wait(&mut p, 16, SOON_MS);
        assert_eq!(events.len(), 1, "the new data is a new edge");
    }
    // ANCHOR_END: edge_drain
}

/// The chapter program, end to end, on every backend.
mod program {
    use super::util::Program;

    const EXE: &str = env!("CARGO_BIN_EXE_ch06-pollers");

    fn serves_the_chat(backend: &str) {
        let mut server = Program::start(EXE, &["--backend", backend]);
        assert_eq!(server.next_line(), format!("backend: {backend}"));
        let mut one = server.connect();
        assert_eq!(one.read_line(), "* you are client 1; 0 others here");
        let mut two = server.connect();
        assert_eq!(two.read_line(), "* you are client 2; 1 other here");
        assert_eq!(one.read_line(), "* client 2 joined");
        one.send(b"hello from one\n");
        assert_eq!(two.read_line(), "client 1: hello from one");
        two.send(b"split ");
        two.send(b"line\r\n");
        assert_eq!(one.read_line(), "client 2: split line");
        drop(two);
        assert_eq!(one.read_line(), "* client 2 left");
        server.wait_for_line("client 2 left");
        let (status, rest) = server.stop_with_ctrl_c();
        assert!(status.success(), "Ctrl-C must exit 0, got {status}");
        assert!(
            rest.iter()
                .any(|l| l.starts_with("stopped: 2 clients joined, 2 lines")),
            "no summary in {rest:?}"
        );
    }

    /// Three rounds of 30 clients joining and leaving, on each backend: every accepted socket
    /// is deregistered and closed (the server's open fds return to where they were).
    #[cfg(target_os = "linux")]
    #[test]
    fn every_backend_leaves_no_fd_behind() {
        for backend in backends() {
            let mut server = Program::start(EXE, &["--backend", backend]);
            server.assert_clients_leave_no_fds(3, 30, |client, _| {
                let hello = client.read_line();
                assert!(
                    hello.starts_with("* you are client "),
                    "{backend}: {hello:?}"
                );
            });
        }
    }

    /// The backends this OS has.
    fn backends() -> &'static [&'static str] {
        if cfg!(any(target_os = "linux", target_os = "android")) {
            &["select", "poll", "epoll"]
        } else {
            &["select", "poll"]
        }
    }

    /// Runs `check(EXE, ["--backend", b])` for every backend `b` at once, one thread each, so
    /// the slow checks cost their time once, not once per backend.
    fn on_every_backend_at_once(check: fn(&str, &[&str])) {
        let runs: Vec<_> = backends()
            .iter()
            .map(|&backend| std::thread::spawn(move || check(EXE, &["--backend", backend])))
            .collect();
        for (run, backend) in runs.into_iter().zip(backends()) {
            if run.join().is_err() {
                panic!("failed with --backend {backend}");
            }
        }
    }

    #[test]
    fn a_sender_that_never_pauses_drops_no_reader() {
        on_every_backend_at_once(super::chat::a_sender_that_never_pauses_drops_no_reader);
    }

    #[test]
    fn a_client_that_never_reads_is_dropped() {
        on_every_backend_at_once(super::chat::a_client_that_never_reads_is_dropped);
    }

    #[test]
    fn running_out_of_fds_neither_spins_nor_floods_the_log() {
        on_every_backend_at_once(super::chat::running_out_of_fds_neither_spins_nor_floods_the_log);
    }

    #[test]
    fn the_last_waiting_client_in_ends_the_episode() {
        on_every_backend_at_once(super::chat::the_last_waiting_client_in_ends_the_episode);
    }

    #[test]
    fn select_serves_the_chat_and_exits_0_on_ctrl_c() {
        serves_the_chat("select");
    }

    #[test]
    fn poll_serves_the_chat_and_exits_0_on_ctrl_c() {
        serves_the_chat("poll");
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn epoll_serves_the_chat_and_exits_0_on_ctrl_c() {
        serves_the_chat("epoll");
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn kqueue_is_refused_on_linux_with_a_clear_message() {
        let out = std::process::Command::new(EXE)
            .args(["--port", "0", "--backend", "kqueue"])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("kqueue exists only on macOS"), "{stderr}");
    }

    #[test]
    fn scaling_mode_reports_time_per_turn() {
        let mut run = Program::start(
            EXE,
            &["--backend", "poll", "--scaling", "50", "--turns", "200"],
        );
        let report = run.wait_for_line("per turn");
        assert!(
            report.starts_with("poll: 50 idle + 1 busy connections, 200 turns"),
            "{report}"
        );
        let (status, _) = run.wait_for_exit();
        assert!(status.success());
    }

    #[test]
    fn scaling_with_select_past_fd_setsize_fails_clearly() {
        let out = std::process::Command::new(EXE)
            .args([
                "--port",
                "0",
                "--backend",
                "select",
                "--scaling",
                "1100",
                "--turns",
                "10",
            ])
            .output()
            .unwrap();
        assert!(!out.status.success());
        let stderr = String::from_utf8_lossy(&out.stderr);
        // Chapter 3's `FdTooLarge` message names the fd_set and FD_SETSIZE.
        assert!(
            stderr.contains("does not fit in") && stderr.contains("FD_SETSIZE"),
            "{stderr}"
        );
    }
}
