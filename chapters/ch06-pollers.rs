//! Chapter 6: the chat server on any poller, and the scaling demo.
//!
//! ```text
//! cargo run --bin ch06-pollers -- --backend epoll          # serve the chat on port 7006
//! cargo run --bin ch06-pollers -- --backend poll --scaling 1000
//! ```

use clap::{Parser, ValueEnum};
use eventloops::ch06_pollers::chat::{Chat, DEFAULT_MAX_QUEUE};
use eventloops::ch06_pollers::scaling::Scaling;
use eventloops::ch06_pollers::{DefaultPoller, Epoll, Kqueue, Poll, Poller, Select};
use eventloops::sys::{limits, net, signal};
use std::os::fd::{AsFd, OwnedFd};
use std::process::ExitCode;

/// Chapter 6: the chat server of chapter 3 on the poller of your choice (select, poll, epoll,
/// kqueue), or, with `--scaling N`, the time one loop turn takes with N idle connections.
#[derive(Parser)]
#[command(name = "ch06-pollers")]
struct Args {
    /// The port to listen on (127.0.0.1 only; 0 lets the kernel choose).
    #[arg(long, default_value_t = 7006)]
    port: u16,
    /// Which poller the loop waits with.
    #[arg(long, value_enum, default_value_t = Backend::Default)]
    backend: Backend,
    /// Instead of serving: open N idle connections and one busy one to ourselves and report the
    /// time per loop turn.
    #[arg(long, value_name = "N")]
    scaling: Option<usize>,
    /// How many turns the scaling demo times.
    #[arg(long, default_value_t = 20_000)]
    turns: u64,
}

#[derive(Clone, Copy, ValueEnum)]
enum Backend {
    /// epoll on Linux, kqueue on macOS and the BSDs.
    Default,
    /// select(2): portable, fds below 1024 only, O(highest fd) per wait.
    Select,
    /// poll(2): portable, O(watched) per wait.
    Poll,
    /// epoll(7): Linux, O(ready) per wait.
    Epoll,
    /// kqueue(2): macOS and the BSDs, O(ready) per wait.
    Kqueue,
}

// ANCHOR: dispatch
fn main() -> ExitCode {
    let args = Args::parse();
    // One `match` picks the type; everything after it is compiled once per backend, with static
    // dispatch. On Linux `Kqueue` (and elsewhere `Epoll`) is a stand-in whose `new` explains.
    let result = match args.backend {
        Backend::Default => run::<DefaultPoller>(&args),
        Backend::Select => run::<Select>(&args),
        Backend::Poll => run::<Poll>(&args),
        Backend::Epoll => run::<Epoll>(&args),
        Backend::Kqueue => run::<Kqueue>(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ch06-pollers: {e}");
            ExitCode::FAILURE
        }
    }
}
// ANCHOR_END: dispatch

fn run<P: Poller>(args: &Args) -> std::io::Result<()> {
    // Fail before binding if this OS lacks the backend, with the stand-in's message.
    drop(P::new()?);
    signal::install_stop_handler()?;
    let listener: OwnedFd = net::listen_tcp(args.port)?;
    // Each mode builds everything first and prints `listening on` only then: a client may
    // connect the moment it reads that line.
    match args.scaling {
        Some(idle) => {
            // Two fds per connection (both ends live in this process); the client ends are moved
            // past fd 2048 (see `scaling::move_above`).
            let wanted = 2 * (idle as libc::rlim_t + 1) + 4096;
            let limit = limits::raise_fd_limit(wanted)?;
            if limit.soft < wanted {
                // On stderr: stdout's first line must be `listening on`.
                eprintln!(
                    "ch06-pollers: fd limit {} is below the {wanted} needed",
                    limit.soft
                );
            }
            let mut demo = Scaling::<P>::connect(listener.as_fd(), idle)?;
            println!("listening on 127.0.0.1:{}", demo.port());
            println!("backend: {}", P::NAME);
            let report = demo.measure(args.turns)?;
            println!("{report}");
        }
        None => {
            let mut chat = Chat::<P>::new(listener, DEFAULT_MAX_QUEUE)?;
            println!("listening on 127.0.0.1:{}", chat.port()?);
            println!("backend: {}", P::NAME);
            let summary = chat.run()?;
            println!("{summary}");
        }
    }
    Ok(())
}
