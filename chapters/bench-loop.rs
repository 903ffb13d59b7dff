//! `cargo run --release --bin bench-loop`: the workloads of Node's `node_dispatch.js` and
//! libuv's `uv_dispatch.c` on the book's loop, printed in the same words.

use clap::Parser;
use eventloops::ch08_ticks::bench::{
    bulk_timers, immediate_chain, immediate_chain_with_idle_fd, tick_chain,
};

/// Measure the cost per callback of immediates, timers and nextTicks on the book's loop.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Callbacks per workload.
    #[arg(long, default_value_t = 1_000_000)]
    n: u64,
}

fn main() -> std::io::Result<()> {
    let Args { n } = Args::parse();
    let per = |ns: u128, minus_ms: f64| (ns as f64 - minus_ms * 1e6) / n as f64;
    println!(
        "setImmediate chain: {:.1} ns per callback",
        per(immediate_chain(n)?, 0.0)
    );
    println!(
        "setImmediate chain, one idle fd watched (an epoll_wait per turn, as libuv makes): {:.1} ns per callback",
        per(immediate_chain_with_idle_fd(n)?, 0.0)
    );
    println!(
        "1M timers (delays 0..99ms): {:.1} ns per callback",
        per(bulk_timers(n)?, 99.0)
    );
    println!(
        "nextTick chain: {:.1} ns per callback",
        per(tick_chain(n)?, 0.0)
    );
    Ok(())
}
