//! Chapter 2's busy-polling echo server, end to end: real sockets against the real program.

mod util;

use std::io::Write;
use std::time::{Duration, Instant};
use util::Program;

const EXE: &str = env!("CARGO_BIN_EXE_ch02-nonblocking");

/// A field of `/proc/PID/status` (for example `Threads:` or `VmRSS:`), as a number. Linux only:
/// elsewhere the tests skip the checks that need it and keep the rest.
#[cfg(target_os = "linux")]
fn proc_status(pid: u32, field: &str) -> u64 {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {field} in /proc/{pid}/status"))
}

#[test]
fn echoes_several_clients_at_once_from_one_thread() {
    let mut server = Program::start(EXE, &["--report-every", "0"]);
    let mut clients: Vec<_> = (0..3).map(|_| server.connect()).collect();
    // Interleave: every client is mid-conversation while the others talk.
    for round in 0..3 {
        for (i, client) in clients.iter_mut().enumerate() {
            client.send(format!("client {i} round {round}\n").as_bytes());
        }
        for (i, client) in clients.iter_mut().enumerate() {
            assert_eq!(client.read_line(), format!("client {i} round {round}"));
        }
    }
    #[cfg(target_os = "linux")]
    assert_eq!(proc_status(server.pid(), "Threads:"), 1);
    server.wait_for_line("client 3 connected");
}

#[test]
fn echoes_everything_sent_before_end_of_file() {
    let mut server = Program::start(EXE, &["--report-every", "0"]);
    let mut client = server.connect();
    // More than the cap and the socket buffers hold: the echo must come back in pieces.
    let message: Vec<u8> = (0..4_000_000u32).map(|i| (i % 251) as u8).collect();
    let mut writer = client.stream().try_clone().unwrap();
    let sent = message.clone();
    let sender = std::thread::spawn(move || {
        writer.write_all(&sent).unwrap();
        writer.shutdown(std::net::Shutdown::Write).unwrap();
    });
    assert_eq!(client.read_to_end(), message);
    sender.join().unwrap();
    server.wait_for_line("client 1 disconnected (4000000 bytes echoed)");
}

#[test]
fn a_client_that_never_reads_neither_blocks_others_nor_grows_memory() {
    let mut server = Program::start(EXE, &["--report-every", "0"]);
    #[cfg(target_os = "linux")]
    let rss_before = proc_status(server.pid(), "VmRSS:");
    // The greedy client sends as much as it can for a second and never reads a byte back.
    let greedy = server.connect();
    let mut writer = greedy.stream().try_clone().unwrap();
    writer
        .set_write_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let flood = std::thread::spawn(move || {
        let chunk = vec![b'x'; 64 * 1024];
        let mut sent = 0usize;
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            match writer.write(&chunk) {
                Ok(n) => sent += n,
                Err(_) => break, // timed out: blocked by backpressure
            }
        }
        sent
    });
    server.wait_for_line("paused reading from client 1");
    // Meanwhile a second client is served normally.
    let mut other = server.connect();
    for i in 0..5 {
        other.send(format!("ping {i}\n").as_bytes());
        assert_eq!(other.read_line(), format!("ping {i}"));
    }
    let sent = flood.join().unwrap();
    // Without the cap the server would hold everything `sent` minus what the socket buffers
    // took. With it, it holds at most 64 KiB plus a read: allow 8 MiB of slack for the allocator.
    #[cfg(target_os = "linux")]
    {
        let rss_after = proc_status(server.pid(), "VmRSS:");
        assert!(
            rss_after < rss_before + 8 * 1024,
            "the server grew from {rss_before} KiB to {rss_after} KiB after the client sent {sent} bytes"
        );
    }
    // And the sender was held back: it could not push an unbounded amount.
    assert!(sent < 64 * 1024 * 1024, "sent {sent} bytes unhindered");
    drop(greedy);
}

#[test]
fn a_client_reset_mid_write_is_dropped_and_the_server_goes_on() {
    let mut server = Program::start(EXE, &["--report-every", "0"]);
    let rude = server.connect();
    let mut writer = rude.stream().try_clone().unwrap();
    writer
        .set_write_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    let flood = std::thread::spawn(move || while writer.write(&chunk).is_ok() {});
    // The server now has echo output pending for this client, which reads nothing.
    server.wait_for_line("paused reading from client 1");
    flood.join().unwrap();
    // Reset the connection: the server's next write fails with ECONNRESET or EPIPE.
    util::reset_on_close(rude.stream());
    drop(rude);
    let line = server.wait_for_line("client 1 dropped: ");
    assert!(
        line.contains("reset") || line.contains("pipe"),
        "unexpected reason: {line}"
    );
    let mut polite = server.connect();
    polite.send(b"still there?\n");
    assert_eq!(polite.read_line(), "still there?");
}

/// The point of the chapter, not a speed test: with no client at all, the busy loop still keeps a
/// core busy. A blocking server would report about 0%. The machine is shared, so we only ask for
/// a quarter of a core in at least one of three one-second reports; the page shows the real figure.
#[test]
fn idle_server_burns_cpu() {
    let mut server = Program::start(EXE, &["--report-every", "1"]);
    let mut best = 0.0f64;
    for _ in 0..3 {
        let line = server.wait_for_line("cpu: ");
        let percent: f64 = line
            .rsplit('(')
            .next()
            .and_then(|p| p.strip_suffix("%)"))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("cannot read the percentage in {line:?}"));
        best = best.max(percent);
    }
    assert!(best > 25.0, "idle CPU was only {best}% of a core");
}

#[test]
fn ctrl_c_stops_cleanly_with_clients_connected() {
    let mut server = Program::start(EXE, &["--report-every", "0"]);
    let mut client = server.connect();
    client.send(b"hi\n");
    assert_eq!(client.read_line(), "hi");
    server.interrupt();
    let (status, lines) = server.wait_for_exit();
    assert!(status.success(), "exit status {status}");
    let last = lines.last().expect("no final line");
    assert!(
        last.starts_with("stopped: 1 client served, ") && last.contains(" wall ("),
        "unexpected final line {last:?}"
    );
    assert!(client.read_to_end().is_empty());
}

#[test]
fn a_port_already_in_use_is_a_clear_error() {
    util::assert_refuses_a_port_in_use(EXE, "ch02-nonblocking");
}

#[cfg(target_os = "linux")]
#[test]
fn clients_that_leave_leave_no_fd_behind() {
    let mut server = Program::start(EXE, &["--report-every", "0"]);
    server.assert_clients_leave_no_fds(3, 30, |client, i| {
        let line = format!("client {i}\n");
        client.send(line.as_bytes());
        assert_eq!(client.read_line(), line.trim_end());
    });
}
