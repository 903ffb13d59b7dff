//! The chat server's checks, written once and run against every program that implements it
//! (chapter 3 on `select`, chapter 4 on the callback registry). Each takes the program's path.

use super::util::{Client, Program};
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// Joins a client and reads its welcome line; returns the client and its chat id.
#[track_caller]
pub fn join(program: &Program) -> (Client, u64) {
    let mut client = program.connect();
    let hello = client.read_line();
    let id = hello
        .strip_prefix("* you are client ")
        .and_then(|rest| rest.split(';').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("expected a welcome line, got {hello:?}"));
    (client, id)
}

/// Reads lines until one equals `want`; panics (after the client's read timeout) otherwise.
#[track_caller]
pub fn read_until(client: &mut Client, want: &str) {
    loop {
        let line = client.read_line();
        if line == want {
            return;
        }
    }
}

/// A line from one client reaches every other client, and not its sender.
pub fn a_line_reaches_every_other_client(exe: &str) {
    let program = Program::start(exe, &[]);
    let (mut a, ida) = join(&program);
    let (mut b, idb) = join(&program);
    let (mut c, idc) = join(&program);
    read_until(&mut a, &format!("* client {idb} joined"));
    read_until(&mut a, &format!("* client {idc} joined"));
    read_until(&mut b, &format!("* client {idc} joined"));
    a.send(b"hello everyone\n");
    assert_eq!(b.read_line(), format!("client {ida}: hello everyone"));
    assert_eq!(c.read_line(), format!("client {ida}: hello everyone"));
    assert!(
        a.is_silent_for(Duration::from_millis(200)),
        "the sender got its own line"
    );
}

/// Join and leave notices go to the others.
pub fn join_and_leave_notices(exe: &str) {
    let program = Program::start(exe, &[]);
    let (mut a, _) = join(&program);
    let (b, idb) = join(&program);
    assert_eq!(a.read_line(), format!("* client {idb} joined"));
    drop(b);
    assert_eq!(a.read_line(), format!("* client {idb} left"));
}

/// A line written in pieces arrives whole; several lines in one write arrive as several.
pub fn lines_are_reassembled_and_split(exe: &str) {
    let program = Program::start(exe, &[]);
    let (mut a, ida) = join(&program);
    let (mut b, idb) = join(&program);
    read_until(&mut a, &format!("* client {idb} joined"));
    a.send(b"hel");
    assert!(
        b.is_silent_for(Duration::from_millis(200)),
        "half a line was sent on"
    );
    a.send(b"lo\r\none\ntwo\n");
    assert_eq!(b.read_line(), format!("client {ida}: hello"));
    assert_eq!(b.read_line(), format!("client {ida}: one"));
    assert_eq!(b.read_line(), format!("client {ida}: two"));
}

/// A client that never reads is dropped when its queue passes the cap, and the others go on
/// chatting: it cannot stall the server.
pub fn a_client_that_never_reads_is_dropped(exe: &str) {
    let mut program = Program::start(exe, &["--max-queue", "65536"]);
    let (_sleeper, ids) = join(&program); // never reads again
    let (mut talker, idt) = join(&program);
    // Talk in another thread until the server drops the sleeper: its socket buffers fill up
    // first (a few MiB on loopback), then its queue in the server.
    let done = Arc::new(AtomicBool::new(false));
    let talking = {
        let done = done.clone();
        let mut stream = talker.stream().try_clone().unwrap();
        std::thread::spawn(move || {
            let line = [b"x".repeat(1000), b"\n".to_vec()].concat();
            let mut sent = 0usize;
            while !done.load(Ordering::SeqCst) && sent < 512 << 20 {
                if stream.write_all(&line).is_err() {
                    break;
                }
                sent += line.len();
            }
        })
    };
    let line = program.wait_for_line(&format!("client {ids} dropped"));
    done.store(true, Ordering::SeqCst);
    talking.join().unwrap();
    assert!(line.contains("write queue"), "{line}");
    read_until(&mut talker, &format!("* client {ids} left"));
    let (mut late, _) = join(&program);
    talker.send(b"still here\n");
    // The late client may first get the tail of the talker's flood.
    read_until(&mut late, &format!("client {idt}: still here"));
}

/// A client that vanishes while output is queued for it (its socket reset mid-write) is dropped
/// or leaves, and the server goes on serving the others.
pub fn a_client_closing_mid_write_is_removed_cleanly(exe: &str) {
    let mut program = Program::start(exe, &["--max-queue", "100000000"]);
    let (leaver, idl) = join(&program);
    let (mut talker, idt) = join(&program);
    // Fill the leaver's socket buffers and server queue, then close it with all that unread: the
    // kernel answers the server's next write with a reset (EPIPE/ECONNRESET).
    let line = [b"y".repeat(1000), b"\n".to_vec()].concat();
    for _ in 0..4000 {
        talker.send(&line);
    }
    drop(leaver);
    let gone = loop {
        let line = program.wait_for_line(&format!("client {idl} "));
        if !line.contains("joined") {
            break line;
        }
    };
    assert!(gone.contains("left") || gone.contains("dropped"), "{gone}");
    read_until(&mut talker, &format!("* client {idl} left"));
    let (mut late, _) = join(&program);
    talker.send(b"after the reset\n");
    read_until(&mut late, &format!("client {idt}: after the reset"));
}

/// A connection whose fd does not fit in `select`'s fd_set is refused with a clear message and
/// closed; an early client still chats. Needs more than 1024 fds in this process.
pub fn a_client_past_fd_setsize_is_refused(exe: &str) {
    let limit = eventloops::sys::limits::raise_fd_limit(4096).unwrap();
    if limit.soft < 2200 {
        eprintln!("skipped: fd limit {} is too low", limit.soft);
        return;
    }
    let program = Program::start(exe, &[]);
    let (mut first, id1) = join(&program);
    let (mut second, _) = join(&program);
    let mut crowd = Vec::new();
    let refused = loop {
        assert!(
            crowd.len() < 1100,
            "1100 clients joined: nothing was refused"
        );
        let mut client = program.connect();
        let line = client.read_line();
        if line.starts_with("server full") {
            break (client, line);
        }
        assert!(line.starts_with("* you are client"), "{line}");
        crowd.push(client);
    };
    let (mut refused, line) = refused;
    assert!(
        line.starts_with("server full: fd ")
            && line.ends_with("does not fit in select's fd_set (FD_SETSIZE = 1024)"),
        "{line}"
    );
    assert!(
        refused.read_to_end().is_empty(),
        "the refused client was not closed"
    );
    // The server goes on: the first client still reaches the second.
    first.send(b"still serving\n");
    read_until(&mut second, &format!("client {id1}: still serving"));
    drop(crowd);
}

/// Ctrl-C while clients are connected: a summary line, exit status 0.
pub fn ctrl_c_exits_cleanly(exe: &str) {
    let mut program = Program::start(exe, &[]);
    let (mut a, _) = join(&program);
    let (_b, idb) = join(&program);
    read_until(&mut a, &format!("* client {idb} joined"));
    program.wait_for_line(&format!("client {idb} joined"));
    let (status, rest) = program.stop_with_ctrl_c();
    assert!(status.success(), "{status:?}");
    assert!(
        rest.iter()
            .any(|l| l.starts_with("stopped: 2 clients joined")),
        "{rest:?}"
    );
}

/// Three rounds of 30 clients that join, are welcomed and leave: the server closes every socket
/// it accepted (its open fds return to where they were). Linux only (`/proc`).
#[cfg(target_os = "linux")]
pub fn clients_leave_no_fds(exe: &str, args: &[&str]) {
    let mut program = Program::start(exe, args);
    program.assert_clients_leave_no_fds(3, 30, |client, _| {
        let hello = client.read_line();
        assert!(hello.starts_with("* you are client "), "{hello:?}");
    });
}
