//! Chapter 5: the 100 ms timer that fires at ~105 ms, measured.
//!
//! `cargo run --bin ch05-timers`: sets a 100 ms timer; a helper thread connects to the program's
//! port at 95 ms; the accept callback blocks the loop for 10 ms; the timer fires late, at about
//! 105 ms, and the program says by how much.

use clap::Parser;
use eventloops::ch05_timers::example::{Example, Plan};
use eventloops::sys::{net, signal};
use eventloops::text::counted;
use std::time::Duration;

/// The Node.js guide's timer example, on the chapter-5 loop.
#[derive(Parser)]
struct Args {
    /// Port to listen on, 127.0.0.1 only (0: the kernel picks one).
    #[arg(long, default_value_t = 7005)]
    port: u16,
    /// The timer's delay, in ms.
    #[arg(long, default_value_t = 100)]
    timer_ms: u64,
    /// When the helper connects (the I/O completes), in ms from the start.
    #[arg(long, default_value_t = 95)]
    connect_at_ms: u64,
    /// How long the connection's callback blocks the loop, in ms.
    #[arg(long, default_value_t = 10)]
    block_ms: u64,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    signal::install_stop_handler()?;
    let listener = net::listen_tcp(args.port)?;
    let plan = Plan {
        timer: Duration::from_millis(args.timer_ms),
        connect_at: Duration::from_millis(args.connect_at_ms),
        block: Duration::from_millis(args.block_ms),
    };
    let example = Example::new(listener, plan)?;
    // Only now, with the listener watched and the timer set: the helper connects to this port.
    println!("listening on 127.0.0.1:{}", example.port());
    let report = example.run()?;
    let how = if signal::stop_requested() {
        "stopped by signal"
    } else {
        "done"
    };
    let timer = match report.fired_after {
        Some(after) => {
            let late = after.saturating_sub(plan.timer);
            format!("timer fired {:.1} ms late", late.as_secs_f64() * 1000.0)
        }
        None => "timer did not fire".to_string(),
    };
    println!(
        "{how}: {timer}, {}, {}",
        counted(report.connections, "connection", "connections"),
        counted(report.turns, "turn", "turns")
    );
    Ok(())
}
