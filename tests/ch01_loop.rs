//! Chapter 1's blocking echo server, end to end: real sockets against the real program.

mod util;

use std::time::Duration;
use util::Program;

const EXE: &str = env!("CARGO_BIN_EXE_ch01-loop");

/// How long a client must hear nothing to count as "waiting". Long enough that a server that did
/// answer would have, short enough to keep the test quick.
const SILENCE: Duration = Duration::from_millis(300);

#[test]
fn echoes_bytes_back_unchanged() {
    let mut server = Program::start(EXE, &[]);
    let mut client = server.connect();
    // Every byte value, including 0 and newlines, in a message longer than one read buffer.
    let message: Vec<u8> = (0..20_000u32).map(|i| (i % 256) as u8).collect();
    client.send(&message);
    assert_eq!(client.read_exact(message.len()), message);
    client.send(b"hello\n");
    assert_eq!(client.read_line(), "hello");
    server.wait_for_line("client 1 connected from 127.0.0.1:");
    drop(client);
    server.wait_for_line("client 1 disconnected (20006 bytes echoed)");
}

#[test]
fn second_client_waits_until_the_first_leaves() {
    let mut server = Program::start(EXE, &[]);
    let mut first = server.connect();
    first.send(b"one\n");
    assert_eq!(first.read_line(), "one");
    // The kernel completes the second handshake (connect succeeds), but nobody accepts it.
    let mut second = server.connect();
    second.send(b"two\n");
    assert!(
        second.is_silent_for(SILENCE),
        "the second client was answered while the first was still connected"
    );
    // The first client is still served meanwhile.
    first.send(b"still one\n");
    assert_eq!(first.read_line(), "still one");
    drop(first);
    // Now the server accepts the second connection and finds "two" waiting in its buffer.
    assert_eq!(second.read_line(), "two");
    server.wait_for_line("client 2 connected");
}

#[test]
fn with_threads_both_clients_are_served_at_once() {
    let mut server = Program::start(EXE, &["--threads"]);
    let mut first = server.connect();
    first.send(b"one\n");
    assert_eq!(first.read_line(), "one");
    let mut second = server.connect();
    second.send(b"two\n");
    assert_eq!(second.read_line(), "two");
    first.send(b"one again\n");
    assert_eq!(first.read_line(), "one again");
    server.wait_for_line("client 2 connected");
}

#[test]
fn ctrl_c_stops_cleanly_when_idle() {
    for args in [&[][..], &["--threads"][..]] {
        let mut server = Program::start(EXE, args);
        let (status, lines) = server.stop_with_ctrl_c();
        assert!(status.success(), "{args:?}: exit status {status}");
        assert!(
            lines.iter().any(|l| l.starts_with("stopped: 0 clients")),
            "{args:?}: no summary line in {lines:?}"
        );
    }
}

#[test]
fn ctrl_c_stops_cleanly_with_a_client_connected() {
    for args in [&[][..], &["--threads"][..]] {
        let mut server = Program::start(EXE, args);
        let mut client = server.connect();
        client.send(b"hi\n");
        assert_eq!(client.read_line(), "hi");
        server.wait_for_line("client 1 connected");
        // The server (or its worker) is now blocked in `read` on this connection.
        let (status, lines) = server.stop_with_ctrl_c();
        assert!(status.success(), "{args:?}: exit status {status}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("stopped: 1 client served, 3 bytes")),
            "{args:?}: no summary line in {lines:?}"
        );
        // The server closed our connection on its way out.
        assert!(client.read_to_end().is_empty());
    }
}

#[test]
fn client_vanishing_mid_stream_does_not_kill_the_server() {
    for args in [&[][..], &["--threads"][..]] {
        let mut server = Program::start(EXE, args);
        let rude = server.connect();
        // Send a lot, read nothing back, then reset the connection: the server's writes fail
        // with ECONNRESET or EPIPE (or its read sees ECONNRESET).
        let mut writer = rude.stream().try_clone().unwrap();
        std::io::Write::write_all(&mut writer, &vec![b'x'; 64 * 1024]).unwrap();
        drop(writer);
        util::reset_on_close(rude.stream());
        drop(rude);
        let line = server.wait_for_line("client 1 d");
        assert!(
            line.contains("dropped") || line.contains("disconnected"),
            "{args:?}: {line}"
        );
        // Still serving.
        let mut polite = server.connect();
        polite.send(b"still there?\n");
        assert_eq!(polite.read_line(), "still there?");
    }
}

#[test]
fn a_port_already_in_use_is_a_clear_error() {
    util::assert_refuses_a_port_in_use(EXE, "ch01-loop");
}

#[cfg(target_os = "linux")]
#[test]
fn clients_that_leave_leave_no_fd_behind() {
    for args in [&[][..], &["--threads"][..]] {
        let mut server = Program::start(EXE, args);
        server.assert_clients_leave_no_fds(3, 1, |client, i| {
            let line = format!("client {i}\n");
            client.send(line.as_bytes());
            assert_eq!(client.read_line(), line.trim_end());
        });
    }
}

/// A client that sends and never reads: the server echoes until its send buffer (and the
/// client's receive buffer) are full, and then sleeps in `write`. One Ctrl-C must stop it. It
/// used to go straight back into `write`, because the retry on `EINTR` never looked at the stop
/// flag.
#[cfg(target_os = "linux")]
#[test]
fn one_ctrl_c_stops_a_server_blocked_writing_to_a_client_that_never_reads() {
    for args in [&[][..], &["--threads"][..]] {
        let mut server = Program::start(EXE, args);
        let client = server.connect();
        let mut flood = client.stream().try_clone().unwrap();
        flood.set_write_timeout(Some(util::PATIENCE)).unwrap();
        // Sends until the server is gone (its close resets the connection) or the timeout.
        let sender = std::thread::spawn(move || {
            let chunk = vec![b'x'; 64 * 1024];
            while std::io::Write::write_all(&mut flood, &chunk).is_ok() {}
        });
        server.wait_until_blocked_in(libc::SYS_write);
        server.interrupt(); // once: the write is asleep, so this signal interrupts it
        let (status, lines) = server.wait_for_exit();
        assert!(status.success(), "{args:?}: exit status {status}");
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("stopped: 1 client served")),
            "{args:?}: no summary line in {lines:?}"
        );
        drop(client);
        sender.join().unwrap();
    }
}
