//! `cargo run --release -p eventloops-benches --bin ch10-load`: the load generator behind
//! chapter 10's measurements that `wrk` cannot make.
//!
//! It opens N connections to a server and, on each, sends a request (or `--depth` of them in
//! one write) and waits for the whole answer before sending the next: a closed loop, as `wrk`
//! runs. Unlike `wrk` it does not parse HTTP: an answer is "as many bytes as the first one had"
//! (a probe request measures that), so it can also load chapter 1's echo server, whose answer
//! is the request itself. One thread, on the book's own epoll poller (chapter 6).
//!
//! ```text
//! ch10-load --port 7010 --connections 1000 --seconds 5 --pid PID   # requests/s, server memory
//! ch10-load --port 7010 --requests 20000                           # a fixed count (for strace)
//! ch10-load --port 7010 --idle 10000 --pid PID                     # memory per idle connection
//! ```
//!
//! It prints one line of `key=value` pairs for the scripts to read.

use clap::Parser;
use eventloops::ch06_pollers::{DefaultPoller, Event, Interest, Poller, Token};
use eventloops::sys::{limits, net};
use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd};
use std::time::{Duration, Instant};

/// A closed-loop load generator for chapter 10: N connections, each sending a request and
/// waiting for its whole answer; or N idle connections, to measure a server's memory per
/// connection.
#[derive(Parser)]
#[command(about)]
struct Args {
    /// The server's port on 127.0.0.1.
    #[arg(long)]
    port: u16,
    /// How many connections send requests.
    #[arg(long, default_value_t = 64)]
    connections: usize,
    /// Run for this many seconds...
    #[arg(long, default_value_t = 5.0)]
    seconds: f64,
    /// ...or until this many answers have arrived.
    #[arg(long)]
    requests: Option<u64>,
    /// Requests per write (pipelining).
    #[arg(long, default_value_t = 1)]
    depth: usize,
    /// The request, with \r and \n written as such.
    #[arg(long, default_value = r"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")]
    request: String,
    /// Instead of a load: open this many connections, send one request on each, read the
    /// answers, and keep them open and idle to measure the server's memory (needs --pid).
    #[arg(long)]
    idle: Option<usize>,
    /// The server's process id: its memory (VmRSS) and thread count are reported.
    #[arg(long)]
    pid: Option<u32>,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    limits::raise_fd_limit(libc::rlim_t::MAX)?;
    let request = args.request.replace(r"\r", "\r").replace(r"\n", "\n");
    let answer_len = probe(args.port, request.as_bytes())?;
    match args.idle {
        Some(n) => idle(&args, n, request.as_bytes()),
        None => load(&args, request.as_bytes(), answer_len),
    }
}

/// Sends one request and counts the bytes of the answer (until 200 ms pass with nothing more).
fn probe(port: u16, request: &[u8]) -> io::Result<usize> {
    let mut stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.write_all(request)?;
    stream.set_read_timeout(Some(Duration::from_millis(200)))?;
    let mut got = 0;
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                break;
            }
            Err(e) => return Err(e),
        }
    }
    if got == 0 {
        return Err(io::Error::other("the server sent no answer to the probe"));
    }
    Ok(got)
}

/// One connection of the load.
struct Conn {
    stream: TcpStream,
    /// Bytes of the current batch's answers still to come.
    waiting_for: usize,
}

fn connect_all(port: u16, n: usize) -> io::Result<Vec<TcpStream>> {
    let mut all = Vec::with_capacity(n);
    for i in 0..n {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .map_err(|e| io::Error::new(e.kind(), format!("connection {i}: {e}")))?;
        stream.set_nodelay(true)?;
        all.push(stream);
    }
    Ok(all)
}

fn load(args: &Args, request: &[u8], answer_len: usize) -> Result<(), Box<dyn std::error::Error>> {
    let batch = request.repeat(args.depth);
    let per_batch = answer_len * args.depth;
    let mut poller = DefaultPoller::new()?;
    let mut conns = Vec::new();
    for (i, stream) in connect_all(args.port, args.connections)?
        .into_iter()
        .enumerate()
    {
        net::set_nonblocking(stream.as_fd(), true)?;
        poller.register(stream.as_fd(), Token(i), Interest::READABLE)?;
        conns.push(Conn {
            stream,
            waiting_for: 0,
        });
    }
    let started = Instant::now();
    let deadline = started + Duration::from_secs_f64(args.seconds);
    for conn in &mut conns {
        send_batch(conn, &batch, per_batch)?;
    }
    let mut answers = 0u64;
    let mut events: Vec<Event> = Vec::new();
    let mut buf = vec![0u8; 256 * 1024];
    let done = |answers: u64| match args.requests {
        Some(limit) => answers >= limit,
        None => Instant::now() >= deadline,
    };
    let mut memory = None;
    while !done(answers) {
        poller.wait(&mut events, 1024, 100)?;
        for event in &events {
            let conn = &mut conns[event.token.0];
            loop {
                match net::read(conn.stream.as_fd(), &mut buf) {
                    Ok(0) => return Err("the server closed a connection".into()),
                    Ok(n) => {
                        conn.waiting_for = conn.waiting_for.saturating_sub(n);
                        if conn.waiting_for == 0 {
                            answers += args.depth as u64;
                            send_batch(conn, &batch, per_batch)?;
                        }
                    }
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e.into()),
                }
            }
        }
        if memory.is_none() && started.elapsed() >= Duration::from_secs_f64(args.seconds / 2.0) {
            // Halfway, under load: the server's memory with every connection busy.
            memory = args.pid.map(server_memory).transpose()?;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let memory = match memory {
        Some(m) => Some(m),
        None => args.pid.map(server_memory).transpose()?,
    };
    print!(
        "connections={} depth={} seconds={elapsed:.2} answers={answers} rps={:.0} answer_bytes={answer_len}",
        args.connections,
        args.depth,
        answers as f64 / elapsed
    );
    if let Some((rss, threads)) = memory {
        print!(" rss_kib={rss} threads={threads}");
    }
    println!();
    for conn in &conns {
        reset_on_close(&conn.stream);
    }
    Ok(())
}

fn send_batch(conn: &mut Conn, batch: &[u8], per_batch: usize) -> io::Result<()> {
    conn.waiting_for = per_batch;
    // Small enough to fit in an empty socket buffer: write_all on the non-blocking socket
    // never meets EAGAIN here.
    let mut rest = batch;
    while !rest.is_empty() {
        match net::write(conn.stream.as_fd(), rest) {
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_micros(50));
            }
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn idle(args: &Args, n: usize, request: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
    let pid = args.pid.ok_or("--idle needs --pid")?;
    let (before, _) = server_memory(pid)?;
    let mut streams = connect_all(args.port, n)?;
    for stream in &mut streams {
        stream.write_all(request)?;
    }
    let mut buf = [0u8; 4096];
    for stream in &mut streams {
        stream.set_read_timeout(Some(Duration::from_secs(10)))?;
        let got = stream.read(&mut buf)?;
        if got == 0 {
            return Err("the server closed an idle connection".into());
        }
    }
    // Let the server settle (a lazy allocator, a last batch of accepts), then measure.
    std::thread::sleep(Duration::from_millis(500));
    let (after, threads) = server_memory(pid)?;
    println!(
        "idle={n} rss_before_kib={before} rss_after_kib={after} per_connection_bytes={:.0} threads={threads}",
        (after.saturating_sub(before)) as f64 * 1024.0 / n as f64
    );
    for stream in &streams {
        reset_on_close(stream);
    }
    Ok(())
}

/// A process's resident memory (KiB) and thread count, from `/proc/PID/status`.
fn server_memory(pid: u32) -> io::Result<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.split_whitespace().next())
            .and_then(|v| v.parse().ok())
            .unwrap_or(0)
    };
    Ok((field("VmRSS:"), field("Threads:")))
}

/// Closes with a reset rather than a FIN, so that thousands of closed connections do not sit
/// in `TIME_WAIT` holding local ports for the next run.
fn reset_on_close(stream: &TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `linger` is a valid, initialised struct and we pass its exact size. A failure
    // only means an orderly close instead.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            size_of::<libc::linger>() as libc::socklen_t,
        )
    };
}
