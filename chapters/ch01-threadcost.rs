//! Chapter 1: what one thread per connection costs.
//!
//! Starts `ch01-loop --threads`, opens N idle connections to it, and reads the server's thread
//! count and memory from `/proc/PID/status` at each N.
//!
//! ```text
//! cargo build --release --bin ch01-loop --bin ch01-threadcost
//! target/release/ch01-threadcost --counts 100,1000,5000
//! ```

use clap::Parser;
use eventloops::sys::limits;
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// Measure the threads and memory of `ch01-loop --threads` holding N idle connections.
#[derive(Parser)]
struct Args {
    /// The numbers of idle connections to measure at, in increasing order.
    #[arg(long, value_delimiter = ',', default_values_t = [100, 1000, 5000])]
    counts: Vec<u64>,
    /// The server program (default: `ch01-loop` next to this program).
    #[arg(long)]
    server: Option<PathBuf>,
}

/// The lines of `/proc/PID/status` we report, in KiB (threads: a count).
struct Status {
    threads: u64,
    rss_kib: u64,
    virtual_kib: u64,
}

fn read_status(pid: u32) -> std::io::Result<Status> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    let field = |name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    Ok(Status {
        threads: field("Threads:"),
        rss_kib: field("VmRSS:"),
        virtual_kib: field("VmSize:"),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    if args.counts.windows(2).any(|w| w[0] >= w[1]) {
        return Err("--counts must increase".into());
    }
    let most = args.counts.last().copied().unwrap_or(0);
    // Our clients and the server's connections each need an fd; the child inherits the limit.
    let limit = limits::raise_fd_limit(most + 64)?;
    if limit.soft < most + 64 {
        return Err(format!(
            "the fd limit is {} (hard {}): too low",
            limit.soft, limit.hard
        )
        .into());
    }
    let server = match args.server {
        Some(path) => path,
        None => std::env::current_exe()?.with_file_name("ch01-loop"),
    };
    let mut child = Command::new(&server)
        .args(["--threads", "--port", "0"])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", server.display()))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let first = lines.next().ok_or("the server printed nothing")??;
    let port: u16 = first
        .strip_prefix("listening on 127.0.0.1:")
        .and_then(|p| p.parse().ok())
        .ok_or_else(|| format!("unexpected first line {first:?}"))?;
    // Count the server's "connected" lines in the background.
    let connected = Arc::new(AtomicU64::new(0));
    let counter = Arc::clone(&connected);
    let reader = std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if line.contains(" connected from ") {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        }
    });

    println!(
        "{:>8} {:>8} {:>12} {:>14} {:>16} {:>18}",
        "clients", "threads", "VmRSS MiB", "VmSize MiB", "RSS/client KiB", "virtual/client MiB"
    );
    let mut clients: Vec<TcpStream> = Vec::new();
    let mut base: Option<Status> = None;
    for n in std::iter::once(0).chain(args.counts.iter().copied()) {
        while (clients.len() as u64) < n {
            clients.push(TcpStream::connect(("127.0.0.1", port))?);
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        while connected.load(Ordering::SeqCst) < n {
            if Instant::now() > deadline {
                return Err(format!("the server accepted only {connected:?} of {n}").into());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // Let the last threads reach their blocking `read`.
        std::thread::sleep(Duration::from_millis(300));
        let s = read_status(child.id())?;
        let (rss_per, virt_per) = match &base {
            Some(b) if n > 0 => (
                format!("{:.1}", (s.rss_kib as f64 - b.rss_kib as f64) / n as f64),
                format!(
                    "{:.2}",
                    (s.virtual_kib as f64 - b.virtual_kib as f64) / 1024.0 / n as f64
                ),
            ),
            _ => ("-".into(), "-".into()),
        };
        println!(
            "{:>8} {:>8} {:>12.1} {:>14.1} {:>16} {:>18}",
            n,
            s.threads,
            s.rss_kib as f64 / 1024.0,
            s.virtual_kib as f64 / 1024.0,
            rss_per,
            virt_per
        );
        base.get_or_insert(s);
    }
    drop(clients);
    // SAFETY: kill takes plain integers; the pid is our own child, not yet reaped.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = child.wait()?;
    let _ = reader.join();
    println!("server stopped with {status}");
    Ok(())
}
