//! The chat server's checks, written once and run against every program that implements it
//! (chapter 3 on `select`, chapter 4 on the callback registry). Each takes the program's path.

use super::util::{Client, Program, assert_refuses_at_startup, set_send_buffer};
use std::io::{BufRead, BufReader, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// Joins a client and reads its welcome line; returns the client and its chat id.
#[track_caller]
pub fn join(program: &Program) -> (Client, u64) {
    let mut client = program.connect();
    let id = welcome_id(&client.read_line());
    (client, id)
}

/// The chat id in a welcome line, `* you are client N; M others here`.
#[track_caller]
pub fn welcome_id(hello: &str) -> u64 {
    hello
        .strip_prefix("* you are client ")
        .and_then(|rest| rest.split(';').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("expected a welcome line, got {hello:?}"))
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

/// A client that never reads is dropped once it has held the room paused for a few seconds
/// without taking a byte, and the others go on chatting: it cannot stall the server for good.
pub fn a_client_that_never_reads_is_dropped(exe: &str, args: &[&str]) {
    let mut program = Program::start(exe, args);
    let (_sleeper, ids) = join(&program); // never reads again
    let (mut talker, idt) = join(&program);
    // Talk in another thread until the server drops the sleeper: its socket buffers fill up
    // first (a few MiB on loopback), then its queue in the server passes the high-water mark,
    // the server stops reading the talker, and a few seconds later gives up on the sleeper.
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
    assert!(line.contains("not reading"), "{line}");
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

/// Regression: `--max-queue` smaller than the greeting used to be accepted, and the server then
/// panicked on its first connection (`expect("an empty queue has room")`). A value the server
/// cannot work with is now refused at startup, by clap, with the reason (exit status 2).
pub fn a_max_queue_below_the_greeting_size_is_refused_at_startup(exe: &str) {
    for bad in ["10", "0", "16383", "2000000000", "lots"] {
        assert_refuses_at_startup(exe, &["--max-queue", bad], 2, "--max-queue");
    }
    assert_refuses_at_startup(exe, &["--max-queue", "10"], 2, "16384");
    // The smallest value accepted works.
    let program = Program::start(exe, &["--max-queue", "16384"]);
    let (mut a, _) = join(&program);
    let (_b, idb) = join(&program);
    read_until(&mut a, &format!("* client {idb} joined"));
}

/// The fd limit the out-of-fds test gives the server, and how many clients it then connects.
const FD_LIMIT: libc::rlim_t = 64;
const CROWD: usize = 100;

/// Regression: with more clients than fds, `accept` fails with `EMFILE`, the connection stays
/// queued and the listener readable, and the server used to go straight back to waiting: 100% of
/// a core and some 180,000 log lines a second. Now it logs the episode once, sets the listener
/// aside, keeps serving the clients it has, and accepts the waiting ones as others leave.
pub fn running_out_of_fds_neither_spins_nor_floods_the_log(exe: &str, args: &[&str]) {
    let mut program = Program::start_with_fd_limit(exe, args, FD_LIMIT);
    // Connected in order, so the kernel queues them in order and the server takes them in
    // order: the first `joined` are in, the rest wait in the listen queue.
    let mut crowd: Vec<Client> = (0..CROWD).map(|_| program.connect()).collect();
    let mut joined = 0;
    loop {
        let line = program.next_line();
        if line.contains("Too many open files") {
            break;
        }
        if line.contains(" joined from ") {
            joined += 1;
        }
    }
    assert!((10..CROWD).contains(&joined), "{joined} clients joined");

    // Two seconds at the limit: no busy loop, no flood of log lines.
    let cpu_before = program.cpu_time();
    let lines = program.lines_during(Duration::from_secs(2));
    let cpu_after = program.cpu_time();
    let complaints = lines
        .iter()
        .filter(|l| l.contains("Too many open files"))
        .count();
    assert!(
        complaints <= 2,
        "{complaints} lines about EMFILE in 2 s (the first: {:?})",
        lines.first()
    );
    if let (Some(before), Some(after)) = (cpu_before, cpu_after) {
        // A spinning server uses a whole core; a sleeping one, nothing. Generous for a busy
        // machine.
        let used = after.saturating_sub(before);
        assert!(used < Duration::from_millis(600), "{used:?} of CPU in 2 s");
    }

    // The clients it has are served.
    let id0 = welcome_id(&crowd[0].read_line());
    crowd[0].send(b"still serving\n");
    read_until(&mut crowd[1], &format!("client {id0}: still serving"));

    // Every client that waited is accepted once enough others leave.
    let mut waiting = crowd.split_off(joined);
    crowd.truncate(2);
    for client in &mut waiting {
        let hello = client.read_line();
        assert!(hello.starts_with("* you are client "), "{hello:?}");
    }
    program.wait_for_line("accepting again");
}

/// Regression: at the fd limit `accept` fails with `EMFILE` even when the listen queue is empty,
/// so the call that takes the last waiting client ends in `EMFILE` too. The listener, put back
/// when the next client leaves, then never turns readable, and the server never logged that
/// the episode was over (nor would it have logged the next one). Clients here leave one at a
/// time, each letting exactly one waiting client in, so the last one in finds no fd to spare.
pub fn the_last_waiting_client_in_ends_the_episode(exe: &str, args: &[&str]) {
    const WAITING: usize = 3;
    let mut program = Program::start_with_fd_limit(exe, args, FD_LIMIT);
    let mut inside = Vec::new();
    let mut waiting = Vec::new();
    while waiting.is_empty() {
        let client = program.connect();
        let line = loop {
            let line = program.next_line(); // skipping the startup lines
            if line.contains("Too many open files") || line.contains(" joined from ") {
                break line;
            }
        };
        if line.contains("Too many open files") {
            waiting.push(client); // the first one the server had no fd for
        } else {
            inside.push(client);
        }
    }
    waiting.extend((1..WAITING).map(|_| program.connect()));
    // One leaves, one comes in: the queue is drained one client per departure.
    for _ in 0..WAITING {
        drop(inside.pop().expect("more clients inside than waiting"));
        program.wait_for_line(" joined from ");
    }
    for client in &mut waiting {
        let hello = client.read_line();
        assert!(hello.starts_with("* you are client "), "{hello:?}");
    }
    // The queue is empty and the server is at its limit again; one more departure frees an fd.
    drop(inside.pop());
    program.wait_for_line("accepting again");
}

/// How long the flood test sends.
const FLOOD_FOR: Duration = Duration::from_secs(10);

/// A reader that never stops reading but takes at most 4 KiB every 10 ms, about 400 KB/s: a
/// client on a slow link. It makes progress all the time, so it must never be dropped.
struct Paced<R>(R);

impl<R: std::io::Read> std::io::Read for Paced<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        std::thread::sleep(Duration::from_millis(10));
        let n = buf.len().min(4096);
        self.0.read(&mut buf[..n])
    }
}

/// Regression: one client sending as fast as it could used to get readers dropped as "not
/// reading" while they were reading (10 runs in 12 lost one to three of four), the server's only
/// defence being to drop a receiver whose queue was full. Now the server stops reading from the
/// sender while a receiver is behind: nobody is dropped, and every line reaches every reader
/// exactly once, in order. Three readers read flat out; the fourth reads without pause but
/// slowly, which drops it every time under a queue cap, and sets the pace under backpressure.
pub fn a_sender_that_never_pauses_drops_no_reader(exe: &str, args: &[&str]) {
    let mut program = Program::start(exe, args);
    let (sender, ids) = join(&program);
    let mut readers: Vec<(Client, u64)> = (0..4).map(|_| join(&program)).collect();
    let last = readers.last().unwrap().1;
    for (reader, id) in &mut readers {
        if *id != last {
            read_until(reader, &format!("* client {last} joined"));
        }
    }
    // The readers check each line as it comes: `client S: N xxx…` for N = 0, 1, 2, … and then
    // `client S: done`.
    let pad = "x".repeat(80);
    // The threads read from clones of the sockets; `readers` keeps them open until the server
    // has stopped (a reader that closed early would turn the others' "left" notices into resets).
    let reading: Vec<_> = readers
        .iter()
        .enumerate()
        .map(|(i, &(ref client, id))| {
            let stream = client.stream().try_clone().unwrap();
            let pad = pad.clone();
            std::thread::spawn(move || {
                let mut lines: Box<dyn BufRead> = if i == 0 {
                    Box::new(BufReader::new(Paced(stream)))
                } else {
                    Box::new(BufReader::new(stream))
                };
                let mut line = String::new();
                for seq in 0u64.. {
                    line.clear();
                    let n = lines
                        .read_line(&mut line)
                        .unwrap_or_else(|e| panic!("reader {id}: {e} after {seq} lines"));
                    assert!(n > 0, "reader {id} was disconnected after {seq} lines");
                    if line == format!("client {ids}: done\n") {
                        return seq;
                    }
                    assert_eq!(line, format!("client {ids}: {seq} {pad}\n"), "reader {id}");
                }
                unreachable!()
            })
        })
        .collect();
    // The sender writes batches of lines until the time is up; its writes block whenever the
    // server stops reading it.
    let mut out = sender.stream().try_clone().unwrap();
    // A small send buffer, so that what is still on its way when the time is up (which the slow
    // reader must then read) is small too.
    set_send_buffer(&out, 64 * 1024);
    let start = Instant::now();
    let mut sent = 0u64;
    let mut batch = Vec::new();
    while start.elapsed() < FLOOD_FOR {
        batch.clear();
        for _ in 0..100 {
            writeln!(batch, "{sent} {pad}").unwrap();
            sent += 1;
        }
        out.write_all(&batch).unwrap();
    }
    out.write_all(b"done\n").unwrap();
    eprintln!("{exe} {args:?}: sent {sent} lines in {:?}", start.elapsed());
    for reader in reading {
        assert_eq!(reader.join().expect("a reader failed"), sent);
    }
    let (status, rest) = program.stop_with_ctrl_c();
    assert!(status.success(), "{status:?}");
    let summary = rest.iter().find(|l| l.starts_with("stopped:")).unwrap();
    let drops: Vec<_> = rest.iter().filter(|l| l.contains(" dropped: ")).collect();
    assert!(summary.contains(" 0 dropped"), "{summary}: {drops:?}");
    drop((sender, readers));
}
