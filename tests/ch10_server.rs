//! Chapter 10 end to end: the HTTP/1.1 server driven over real sockets. HTTP/1.1 as an origin
//! server speaks it, every limit, backpressure, a thousand clients, thousands of malformed
//! requests, Ctrl-C. Limits are set short by flags; nothing here measures speed.

mod util;

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};
use util::{Client, Program};

const EXE: &str = env!("CARGO_BIN_EXE_ch10-server");

const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n";

/// The server, with one worker unless `args` say otherwise.
#[track_caller]
fn server(args: &[&str]) -> Program {
    let mut all = args.to_vec();
    if !args.contains(&"--workers") {
        all.extend_from_slice(&["--workers", "1"]);
    }
    Program::start(EXE, &all)
}

/// One parsed response.
#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn closes(&self) -> bool {
        self.header("connection") == Some("close")
    }
}

/// Reads one response: status line, headers, and a body of `Content-Length` bytes (none for a
/// response to `HEAD`).
#[track_caller]
fn read_response(client: &mut Client, head_request: bool) -> Response {
    let status_line = client.read_line();
    let status = status_line
        .strip_prefix("HTTP/1.1 ")
        .and_then(|rest| rest.get(..3))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("not a status line: {status_line:?}"));
    let mut headers = Vec::new();
    loop {
        let line = client.read_line();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').expect("a header line");
        headers.push((name.to_string(), value.trim().to_string()));
    }
    let mut response = Response {
        status,
        headers,
        body: Vec::new(),
    };
    let length: usize = response
        .header("content-length")
        .expect("every response has Content-Length")
        .parse()
        .unwrap();
    if !head_request && status != 100 {
        response.body = client.read_exact(length);
    }
    response
}

/// Asserts that the server closes the connection (end of file, nothing more).
#[track_caller]
fn assert_closed(client: &mut Client) {
    let rest = client.read_to_end();
    assert!(
        rest.is_empty(),
        "expected end of file, got {:?}",
        String::from_utf8_lossy(&rest)
    );
}

// ---- HTTP/1.1 ----------------------------------------------------------------------------------

#[test]
fn hello_world_with_date_and_content_length() {
    let program = server(&[]);
    let mut client = program.connect();
    client.send(GET);
    let response = read_response(&mut client, false);
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"Hello, World!\n");
    assert_eq!(response.header("content-type"), Some("text/plain"));
    assert_eq!(response.header("content-length"), Some("14"));
    let date = response.header("date").expect("a Date header");
    assert!(date.ends_with(" GMT") && date.len() == 29, "{date:?}");
    assert_eq!(
        response.header("connection"),
        None,
        "keep-alive is the default"
    );
}

#[test]
fn keep_alive_across_many_requests() {
    let program = server(&[]);
    let mut client = program.connect();
    for i in 0..300 {
        let path = if i % 3 == 0 { "/" } else { "/nothing-here" };
        client.send(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes());
        let response = read_response(&mut client, false);
        assert_eq!(response.status, if i % 3 == 0 { 200 } else { 404 });
        assert!(!response.closes());
    }
}

#[test]
fn pipelined_requests_are_answered_in_order() {
    let program = server(&[]);
    let mut client = program.connect();
    let mut batch = Vec::new();
    let mut expected = Vec::new();
    for i in 0..50 {
        match i % 4 {
            0 => {
                batch.extend_from_slice(GET);
                expected.push((200, b"Hello, World!\n".to_vec()));
            }
            1 => {
                let body = format!("body number {i}");
                batch.extend_from_slice(
                    format!(
                        "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                );
                expected.push((200, body.into_bytes()));
            }
            2 => {
                batch.extend_from_slice(b"GET /missing HTTP/1.1\r\nHost: t\r\n\r\n");
                expected.push((404, b"Not Found\n".to_vec()));
            }
            _ => {
                batch.extend_from_slice(b"GET /delay?ms=1 HTTP/1.1\r\nHost: t\r\n\r\n");
                expected.push((200, b"waited 1 ms\n".to_vec()));
            }
        }
    }
    client.send(&batch); // all 50 in one write
    for (i, (status, body)) in expected.into_iter().enumerate() {
        let response = read_response(&mut client, false);
        assert_eq!(response.status, status, "response {i}");
        assert_eq!(response.body, body, "response {i}");
    }
}

#[test]
fn a_request_split_byte_by_byte() {
    let program = server(&[]);
    let mut client = program.connect();
    client.stream().set_nodelay(true).unwrap();
    let request = b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello";
    for byte in request {
        client.send(std::slice::from_ref(byte));
        std::thread::sleep(Duration::from_millis(1));
    }
    let response = read_response(&mut client, false);
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"hello");
}

#[test]
fn head_gets_the_headers_without_the_body() {
    let program = server(&[]);
    let mut client = program.connect();
    client.send(b"HEAD / HTTP/1.1\r\nHost: t\r\n\r\n");
    let response = read_response(&mut client, true);
    assert_eq!(response.status, 200);
    assert_eq!(response.header("content-length"), Some("14"));
    // The next response follows at once: no body was sent after the HEAD's headers.
    client.send(GET);
    assert_eq!(read_response(&mut client, false).body, b"Hello, World!\n");
}

#[test]
fn http_1_0_closes_unless_keep_alive_is_asked_for() {
    let program = server(&[]);
    let mut client = program.connect();
    client.send(b"GET / HTTP/1.0\r\n\r\n");
    let response = read_response(&mut client, false);
    assert_eq!(response.status, 200);
    assert!(response.closes());
    assert_closed(&mut client);

    let mut client = program.connect();
    client.send(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    let response = read_response(&mut client, false);
    assert_eq!(response.header("connection"), Some("keep-alive"));
    client.send(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    assert_eq!(read_response(&mut client, false).status, 200);
}

#[test]
fn connection_close_is_honoured_and_later_requests_ignored() {
    let program = server(&[]);
    let mut client = program.connect();
    let mut batch = b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".to_vec();
    batch.extend_from_slice(GET);
    client.send(&batch);
    let response = read_response(&mut client, false);
    assert!(response.closes());
    assert_closed(&mut client);
}

#[test]
fn chunked_request_bodies_are_decoded() {
    let program = server(&[]);
    let mut client = program.connect();
    let request = b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n\
        6\r\nchunks\r\n1;ext=yes\r\n \r\nb\r\nare decoded\r\n0\r\nTrailer: t\r\n\r\n";
    client.send(&request[..40]);
    std::thread::sleep(Duration::from_millis(20));
    client.send(&request[40..]);
    let response = read_response(&mut client, false);
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"chunks are decoded");
    // The connection is in step: the next request works.
    client.send(GET);
    assert_eq!(read_response(&mut client, false).status, 200);
}

#[test]
fn expect_100_continue_gets_its_interim_response() {
    let program = server(&[]);
    let mut client = program.connect();
    client.send(
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
    );
    assert_eq!(client.read_line(), "HTTP/1.1 100 Continue");
    assert_eq!(client.read_line(), "");
    client.send(b"abc");
    assert_eq!(read_response(&mut client, false).body, b"abc");
}

#[test]
fn a_64_mib_echo_comes_back_byte_identical() {
    const SIZE: usize = 64 * 1024 * 1024;
    let program = server(&[]);
    let mut client = program.connect();
    let body: Vec<u8> = (0..SIZE as u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let mut writer = client.stream().try_clone().unwrap();
    let head = format!("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {SIZE}\r\n\r\n");
    let sent = body.clone();
    // Send from another thread while this one reads: the server echoes as it receives, so a
    // client that sent everything before reading would block both sides.
    let sender = std::thread::spawn(move || {
        writer.write_all(head.as_bytes()).unwrap();
        writer.write_all(&sent).unwrap();
    });
    let response = read_response(&mut client, false);
    sender.join().unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body.len(), SIZE);
    assert!(response.body == body, "the echo differs from what was sent");
}

#[test]
fn one_slow_response_does_not_hold_up_other_clients() {
    let program = server(&[]);
    let mut slow = program.connect();
    slow.send(b"GET /delay?ms=3000 HTTP/1.1\r\nHost: t\r\n\r\n");
    let started = Instant::now();
    for _ in 0..20 {
        let mut fast = program.connect();
        fast.send(GET);
        assert_eq!(read_response(&mut fast, false).status, 200);
    }
    // Generous: twenty requests take milliseconds; the slow response is not due for 3 s.
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "the fast clients waited for the slow one"
    );
    let response = read_response(&mut slow, false);
    assert_eq!(response.body, b"waited 3000 ms\n");
    assert!(started.elapsed() >= Duration::from_millis(3000));
}

// ---- limits -------------------------------------------------------------------------------------

/// Sends `request` and checks the response's status, that it says `Connection: close`, and
/// that the server then closes.
#[track_caller]
fn assert_refused(program: &Program, request: &[u8], status: u16) {
    let mut client = program.connect();
    client.send(request);
    let response = read_response(&mut client, false);
    assert_eq!(
        response.status,
        status,
        "{:?}",
        String::from_utf8_lossy(request)
    );
    assert!(response.closes());
    assert!(!response.body.is_empty(), "an error says what went wrong");
    assert_closed(&mut client);
}

#[test]
fn each_limit_is_a_clear_response_then_a_close() {
    let program = server(&["--max-head-bytes", "1024", "--max-body-bytes", "1000"]);
    assert_refused(
        &program,
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",
        400,
    );
    assert_refused(&program, b"GET / HTTP/1.1\r\n\r\n", 400); // no Host
    assert_refused(
        &program,
        b"GET /delay?ms=soon HTTP/1.1\r\nHost: t\r\n\r\n",
        400,
    );
    let big_head = format!(
        "GET / HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\n\r\n",
        "x".repeat(2000)
    );
    assert_refused(&program, big_head.as_bytes(), 431);
    assert_refused(
        &program,
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1001\r\n\r\n",
        413,
    );
    let chunked = format!(
        "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3e9\r\n{}\r\n",
        "y".repeat(1001)
    );
    assert_refused(&program, chunked.as_bytes(), 413);
    assert_refused(&program, b"DELETE / HTTP/1.1\r\nHost: t\r\n\r\n", 501);
    assert_refused(
        &program,
        b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
        501,
    );
}

#[test]
fn a_404_keeps_the_connection_open() {
    let program = server(&[]);
    let mut client = program.connect();
    client.send(b"GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
    let response = read_response(&mut client, false);
    assert_eq!(response.status, 404);
    assert!(!response.closes());
    client.send(GET);
    assert_eq!(read_response(&mut client, false).status, 200);
}

#[test]
fn a_slow_head_is_a_408_and_an_idle_connection_is_closed() {
    let program = server(&["--header-timeout-ms", "300", "--idle-timeout-ms", "600"]);
    // Slowloris: a byte every 100 ms keeps the connection active, not the head on time.
    let mut slowloris = program.connect();
    let started = Instant::now();
    for byte in b"GET / HTTP/1.1\r\nHost: t\r\nX-Slow: " {
        if slowloris
            .stream()
            .write_all(std::slice::from_ref(byte))
            .is_err()
        {
            break; // closed already
        }
        std::thread::sleep(Duration::from_millis(100));
        if started.elapsed() > Duration::from_millis(900) {
            break;
        }
    }
    let response = read_response(&mut slowloris, false);
    assert_eq!(response.status, 408);
    assert!(response.closes());
    assert_closed(&mut slowloris);

    // Idle: served once, then silent for the idle timeout: closed, without a response.
    let mut idle = program.connect();
    idle.send(GET);
    assert_eq!(read_response(&mut idle, false).status, 200);
    let quiet_since = Instant::now();
    assert_closed(&mut idle);
    assert!(quiet_since.elapsed() >= Duration::from_millis(400));
}

// ---- many clients, bad clients -------------------------------------------------------------------

// ---- workers, listeners, out of fds --------------------------------------------------------------

#[test]
fn every_listener_mode_serves_and_spreads_over_its_workers() {
    for mode in ["reuseport", "shared", "exclusive"] {
        let mut program = server(&["--workers", "2", "--listener", mode]);
        let mut clients: Vec<Client> = (0..40).map(|_| program.connect()).collect();
        for client in &mut clients {
            client.send(GET);
            assert_eq!(read_response(client, false).status, 200);
        }
        drop(clients);
        program.interrupt();
        let (status, lines) = program.wait_for_exit();
        assert!(status.success(), "{mode}: {status}");
        let served: u64 = lines
            .iter()
            .filter(|l| l.starts_with("worker "))
            .map(|l| {
                let after = l.split_once(": ").unwrap().1;
                after.split(' ').next().unwrap().parse::<u64>().unwrap()
            })
            .sum();
        assert_eq!(served, 40, "{mode}: {lines:?}");
        assert_eq!(
            lines.iter().filter(|l| l.starts_with("worker ")).count(),
            2,
            "{mode}: {lines:?}"
        );
    }
}

// ---- the program ---------------------------------------------------------------------------------

#[test]
fn ctrl_c_lets_in_flight_responses_finish_then_exits_0() {
    let mut program = server(&["--grace-ms", "3000"]);
    let baseline_line = program.next_line();
    assert!(baseline_line.contains("room for about"), "{baseline_line}");
    let mut idle = program.connect();
    idle.send(GET);
    read_response(&mut idle, false);
    let mut busy = program.connect();
    busy.send(b"GET /delay?ms=400 HTTP/1.1\r\nHost: t\r\n\r\n");
    std::thread::sleep(Duration::from_millis(100));
    program.interrupt();
    program.wait_for_line("stopping");
    assert_closed(&mut idle); // idle connections go at once
    let response = read_response(&mut busy, false);
    assert_eq!(response.status, 200, "the in-flight response finished");
    assert!(response.closes(), "and said it was the last");
    assert_closed(&mut busy);
    let (status, lines) = program.wait_for_exit();
    assert!(status.success(), "{status}");
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("worker 0: 2 connections")),
        "{lines:?}"
    );
    assert_eq!(lines.last().map(String::as_str), Some("stopped"));
}

#[test]
fn a_second_ctrl_c_does_not_wait_for_the_grace_period() {
    let mut program = server(&["--grace-ms", "30000"]);
    let mut busy = program.connect();
    busy.send(b"GET /delay?ms=30000 HTTP/1.1\r\nHost: t\r\n\r\n");
    std::thread::sleep(Duration::from_millis(100));
    let started = Instant::now();
    program.interrupt();
    program.wait_for_line("stopping:");
    program.interrupt();
    let (status, _) = program.wait_for_exit();
    assert!(status.success(), "{status}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_closed(&mut busy);
}

#[test]
fn with_every_optimisation_off_it_still_speaks_http() {
    let all = "buffer-reuse,batch-write,write-at-once,read-once,date-cache,nodelay";
    let program = server(&["--without", all]);
    let mut client = program.connect();
    let mut batch = GET.repeat(5);
    batch.extend_from_slice(b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nok");
    client.send(&batch);
    for _ in 0..5 {
        assert_eq!(read_response(&mut client, false).body, b"Hello, World!\n");
    }
    assert_eq!(read_response(&mut client, false).body, b"ok");
}

#[test]
fn bad_flags_are_refused_with_a_clear_error() {
    let output = Command::new(EXE)
        .args(["--without", "turbo"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown optimisation \"turbo\""));
    let output = Command::new(EXE)
        .args(["--port", "0", "--high-water", "10", "--low-water", "20"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--low-water"));
    let output = Command::new(EXE).args(["--workers", "0"]).output().unwrap();
    assert!(!output.status.success());
}

#[test]
fn help_says_what_the_program_does() {
    let output = Command::new(EXE).arg("--help").output().unwrap();
    let help = String::from_utf8_lossy(&output.stdout);
    assert!(help.contains("HTTP/1.1 server"), "{help}");
    assert!(help.contains("--without"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    util::assert_refuses_a_port_in_use(EXE, "ch10-server");
}

/// The checks that read `/proc` (open fds, resident memory, CPU time): Linux only.
#[cfg(target_os = "linux")]
mod linux_only {
    use super::*;
    use std::io::Read;
    use std::net::{Shutdown, TcpStream};
    use util::PATIENCE;

    /// The server's resident memory in KiB.
    fn rss_kib(program: &Program) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", program.pid())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .expect("VmRSS in /proc/PID/status")
    }

    /// Waits until the server's open fds are back to `baseline`.
    #[track_caller]
    fn assert_fds_return_to(program: &Program, baseline: usize) {
        let deadline = Instant::now() + PATIENCE;
        while program.open_fds() != baseline && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(program.open_fds(), baseline, "fds still open");
    }

    #[test]
    fn a_client_that_never_reads_stays_bounded_while_others_are_served() {
        let program = server(&[
            "--high-water",
            "65536",
            "--low-water",
            "16384",
            "--max-body-bytes",
            "4294967296",
        ]);
        let mut warm = program.connect();
        warm.send(GET);
        read_response(&mut warm, false);
        let before = rss_kib(&program);

        // A client that sends a huge echo and never reads the answer.
        let greedy = TcpStream::connect(("127.0.0.1", program.port)).unwrap();
        greedy
            .set_write_timeout(Some(Duration::from_millis(500)))
            .unwrap();
        let mut writer = greedy.try_clone().unwrap();
        let pusher = std::thread::spawn(move || {
            let size: u64 = 1 << 30;
            let head = format!("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: {size}\r\n\r\n");
            writer.write_all(head.as_bytes()).unwrap();
            let chunk = vec![b'z'; 64 * 1024];
            let mut sent = 0u64;
            // Until the write times out: the server stopped reading and every buffer is full.
            while let Ok(n) = writer.write(&chunk) {
                sent += n as u64;
            }
            sent
        });
        let sent = pusher.join().unwrap();
        assert!(
            sent < 256 << 20,
            "the server kept reading from a client that never reads ({sent} bytes taken)"
        );
        // Others are served meanwhile.
        for _ in 0..10 {
            let mut other = program.connect();
            other.send(GET);
            assert_eq!(read_response(&mut other, false).status, 200);
        }
        let grown = rss_kib(&program).saturating_sub(before);
        assert!(
            grown < 16 * 1024,
            "the server grew by {grown} KiB for a client that never reads (it sent {sent} bytes)"
        );
        util::reset_on_close(&greedy);
    }

    #[test]
    fn a_thousand_concurrent_connections() {
        eventloops::sys::limits::raise_fd_limit(4096).unwrap();
        let program = server(&["--workers", "2"]);
        let baseline = program.open_fds();
        let mut clients: Vec<Client> = (0..1000).map(|_| program.connect()).collect();
        for client in &mut clients {
            client.send(GET);
        }
        for client in &mut clients {
            assert_eq!(read_response(client, false).status, 200);
        }
        // And again, all still connected.
        for client in &mut clients {
            client.send(b"GET /x HTTP/1.1\r\nHost: t\r\n\r\n");
        }
        for client in &mut clients {
            assert_eq!(read_response(client, false).status, 404);
        }
        drop(clients);
        assert_fds_return_to(&program, baseline);
    }

    /// A small xorshift generator: reproducible garbage without a dependency.
    struct Random(u64);

    impl Random {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const TEMPLATES: [&[u8]; 5] = [
        b"GET / HTTP/1.1\r\nHost: t\r\n\r\n",
        b"HEAD / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        b"POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 4\r\n\r\nbody",
        b"POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nbody\r\n0\r\n\r\n",
        b"GET /delay?ms=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n",
    ];

    /// Case `i` of the garbage: random bytes, a mutated request, or a truncated one.
    fn garbage_case(random: &mut Random, i: usize) -> Vec<u8> {
        let template = TEMPLATES[i % TEMPLATES.len()];
        match i % 3 {
            0 => (0..1 + random.below(300))
                .map(|_| random.next() as u8)
                .collect(),
            1 => {
                let mut bytes = template.to_vec();
                for _ in 0..1 + random.below(4) {
                    let at = random.below(bytes.len());
                    match random.below(3) {
                        0 => bytes[at] = random.next() as u8,
                        1 => bytes.insert(at, b"\r\n:; 0x\x00\xff"[random.below(9)]),
                        _ => {
                            bytes.remove(at);
                        }
                    }
                }
                bytes
            }
            _ => template[..random.below(template.len())].to_vec(),
        }
    }

    #[test]
    fn garbage_and_truncated_requests_never_panic_or_leak_an_fd() {
        const CASES: usize = 3000;
        let program = server(&["--max-delay-ms", "20", "--header-timeout-ms", "2000"]);
        let baseline = program.open_fds();
        let port = program.port;
        let threads: Vec<_> = (0..4)
            .map(|t| {
                std::thread::spawn(move || {
                    let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ (t as u64 + 1));
                    for i in (t..CASES).step_by(4) {
                        let case = garbage_case(&mut random, i);
                        let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
                        stream.set_read_timeout(Some(PATIENCE)).unwrap();
                        // The server may answer and close before it has read everything.
                        let _ = stream.write_all(&case);
                        let _ = stream.shutdown(Shutdown::Write);
                        let mut answer = Vec::new();
                        match stream.read_to_end(&mut answer) {
                            Ok(_) => {}
                            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => {}
                            Err(e) => panic!("case {i} {case:?}: {e}"),
                        }
                        assert!(
                            answer.is_empty() || answer.starts_with(b"HTTP/1.1 "),
                            "case {i}: {:?}",
                            String::from_utf8_lossy(&answer)
                        );
                    }
                })
            })
            .collect();
        for thread in threads {
            thread.join().unwrap();
        }
        let mut client = program.connect();
        client.send(GET);
        assert_eq!(
            read_response(&mut client, false).status,
            200,
            "still serving"
        );
        drop(client);
        assert_fds_return_to(&program, baseline);
    }

    #[test]
    fn out_of_fds_it_pauses_accepting_without_spinning_then_recovers() {
        let mut program = Program::start_with_fd_limit(EXE, &["--workers", "1"], 32);
        let mut clients: Vec<TcpStream> = (0..40)
            .map(|_| TcpStream::connect(("127.0.0.1", program.port)).unwrap())
            .collect();
        program.wait_for_line("not accepting until a client leaves");
        // Paused, not spinning: over half a second the server uses (almost) no CPU.
        let before = program.cpu_time().unwrap();
        std::thread::sleep(Duration::from_millis(500));
        let used = program.cpu_time().unwrap() - before;
        assert!(
            used < Duration::from_millis(200),
            "the paused server is spinning: {used:?}"
        );
        // Clients leave; the server accepts the ones that waited and serves a new one.
        for client in clients.drain(..30) {
            util::reset_on_close(&client);
        }
        let mut late = program.connect();
        late.send(GET);
        assert_eq!(read_response(&mut late, false).status, 200);
    }
}
