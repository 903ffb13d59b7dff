//! `cargo run --release --bin ch10-server`: an HTTP/1.1 server on the book's loop, one loop per
//! core, measured beside nginx in `book/scripts/ch10-server.sh`.

use clap::{Parser, ValueEnum};
use eventloops::ch10_server::{
    Config, Limits, ListenerMode, Optimisation, ServerOptions, Tuning, Watermarks, run,
};
use eventloops::sys::limits;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::process::ExitCode;
use std::time::Duration;

/// An HTTP/1.1 server on chapter 7's event loop, one loop per core.
///
/// Routes: GET / and HEAD / answer "Hello, World!"; POST /echo sends the request body back;
/// GET /delay?ms=N answers after a timer of N ms; anything else is 404, an unknown method 501.
/// Keep-alive, pipelining, chunked request bodies, limits (400, 408, 413, 431) and backpressure.
/// Each worker is a thread with its own loop and its own SO_REUSEPORT listener. Ctrl-C stops
/// accepting, lets in-flight responses finish, and exits 0.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// TCP port (0: the kernel picks one).
    #[arg(long, default_value_t = 7010)]
    port: u16,
    /// IPv4 address to listen on.
    #[arg(long, default_value_t = Ipv4Addr::LOCALHOST)]
    host: Ipv4Addr,
    /// Worker threads, each with its own loop, 1 to 1024 (default: one per core).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=1024))]
    workers: Option<u16>,
    /// How the workers share the port.
    #[arg(long, value_enum, default_value_t = Listener::Reuseport)]
    listener: Listener,
    /// Largest request head (request line and headers), in bytes: over it, 431.
    #[arg(long, default_value_t = 8192)]
    max_head_bytes: usize,
    /// Largest request body, in bytes: over it, 413.
    #[arg(long, default_value_t = 64 * 1024 * 1024)]
    max_body_bytes: u64,
    /// Time a client has to send a whole request head, in ms: past it, 408.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout_ms: u64,
    /// Time a keep-alive connection may stay idle, in ms, before the server closes it.
    #[arg(long, default_value_t = 30_000, value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout_ms: u64,
    /// After Ctrl-C, time in-flight responses have to finish, in ms.
    #[arg(long, default_value_t = 2_000)]
    grace_ms: u64,
    /// Longest wait GET /delay?ms=N accepts, in ms.
    #[arg(long, default_value_t = 60_000)]
    max_delay_ms: u64,
    /// Stop reading from a connection when this many bytes of its output are queued.
    #[arg(long, default_value_t = 64 * 1024)]
    high_water: usize,
    /// Read again once its queue is down to this many bytes.
    #[arg(long, default_value_t = 16 * 1024)]
    low_water: usize,
    /// Turn optimisations off, to measure what each buys: buffer-reuse, batch-write,
    /// write-at-once, read-once, date-cache, nodelay (comma-separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_optimisation)]
    without: Vec<Optimisation>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Listener {
    /// One listener per worker, bound with SO_REUSEPORT: the kernel spreads connections.
    Reuseport,
    /// One listener in every worker's poller: each connection wakes every worker.
    Shared,
    /// One listener, watched by each worker with EPOLLEXCLUSIVE (Linux).
    Exclusive,
}

fn parse_optimisation(name: &str) -> Result<Optimisation, String> {
    Optimisation::from_name(name).ok_or_else(|| {
        let known: Vec<_> = Optimisation::ALL.iter().map(|o| o.name()).collect();
        format!("unknown optimisation {name:?}; known: {}", known.join(", "))
    })
}

fn main() -> ExitCode {
    match serve(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ch10-server: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    if args.low_water > args.high_water {
        return Err(format!(
            "--low-water ({}) must not be above --high-water ({})",
            args.low_water, args.high_water
        )
        .into());
    }
    // C10K: one fd per connection, so take all the fds we are allowed.
    let fd_limit = limits::raise_fd_limit(libc::rlim_t::MAX)?;
    let workers = match args.workers {
        Some(n) => usize::from(n),
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let options = ServerOptions {
        addr: SocketAddrV4::new(args.host, args.port),
        workers,
        listener: match args.listener {
            Listener::Reuseport => ListenerMode::ReusePort,
            Listener::Shared => ListenerMode::Shared,
            Listener::Exclusive => ListenerMode::Exclusive,
        },
        config: Config {
            limits: Limits {
                max_head_bytes: args.max_head_bytes,
                max_body_bytes: args.max_body_bytes,
                header_timeout: Duration::from_millis(args.header_timeout_ms),
                idle_timeout: Duration::from_millis(args.idle_timeout_ms),
                shutdown_grace: Duration::from_millis(args.grace_ms),
                max_delay: Duration::from_millis(args.max_delay_ms),
            },
            watermarks: Watermarks {
                high: args.high_water,
                low: args.low_water,
            },
            tuning: Tuning::without(&args.without),
        },
    };
    let mode = match args.listener {
        Listener::Reuseport => "one SO_REUSEPORT listener each",
        Listener::Shared => "one shared listener",
        Listener::Exclusive => "one shared listener, EPOLLEXCLUSIVE",
    };
    let without: Vec<_> = args.without.iter().map(|o| o.name()).collect();
    let port = args.port;
    let host = args.host;
    let room = room_for(fd_limit.soft);
    let stats = run(options, |addr| {
        println!("listening on {addr}");
        println!(
            "{workers} worker{} ({mode}); open-file limit {}: room for about {} connections",
            if workers == 1 { "" } else { "s" },
            fd_limit.soft,
            room,
        );
        if !without.is_empty() {
            println!("without: {}", without.join(", "));
        }
    })
    .map_err(|e| format!("cannot listen on {host}:{port}: {e}"))?;
    for (i, s) in stats.iter().enumerate() {
        println!(
            "worker {i}: {} connections, {} requests, at most {} open at once, {} empty accept wake-ups",
            s.connections, s.requests, s.peak_connections, s.empty_accepts
        );
    }
    println!("stopped");
    Ok(())
}

/// How many more fds the process may open: the soft limit minus those open now.
fn room_for(soft: libc::rlim_t) -> libc::rlim_t {
    let open = std::fs::read_dir("/dev/fd").map_or(0, |d| d.count());
    soft.saturating_sub(open as libc::rlim_t)
}
