//! `cargo run --release --bin bench-pool`: the workloads of libuv's `uv_queue_work.c` peer on
//! the book's pool, printed in the same words, so the two read side by side
//! (`bash book/scripts/ch09-threadpool.sh` runs both).

use clap::Parser;
use eventloops::ch09_threadpool::Wakeup;
use eventloops::ch09_threadpool::bench::{coalescing, round_trip, throughput};
use std::time::Duration;

/// Measure the book's thread pool: round trip, throughput with 1, 2 and 4 threads, coalescing.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Requests for the round trip (0: skip; likewise for the counts below).
    #[arg(long, default_value_t = 100_000)]
    round_trips: u64,
    /// No-op requests queued at once, for throughput.
    #[arg(long, default_value_t = 1_000_000)]
    noops: u64,
    /// Requests of 20 us of busy work, for throughput.
    #[arg(long, default_value_t = 20_000)]
    busy: u64,
    /// Sends for the coalescing test.
    #[arg(long, default_value_t = 1_000_000)]
    sends: u64,
    /// Pool sizes to measure.
    #[arg(long, value_delimiter = ',', default_values_t = [1, 2, 4])]
    threads: Vec<usize>,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    for &threads in &args.threads {
        let per = |ns: u128, n: u64| ns as f64 / n as f64;
        if args.round_trips > 0 {
            println!(
                "pool round trip (queue_work -> after_work, one at a time), {threads} threads: {:.0} ns per request",
                per(round_trip(args.round_trips, threads)?, args.round_trips)
            );
        }
        if args.noops > 0 {
            println!(
                "pool throughput, {} no-op requests queued at once, {threads} threads: {:.0} ns per request",
                args.noops,
                per(throughput(args.noops, threads, Duration::ZERO)?, args.noops)
            );
        }
        if args.busy > 0 {
            println!(
                "pool throughput, {} requests of 20 us busy work, {threads} threads: {:.2} us per request",
                args.busy,
                per(
                    throughput(args.busy, threads, Duration::from_micros(20))?,
                    args.busy
                ) / 1000.0
            );
        }
    }
    if args.sends == 0 {
        return Ok(());
    }
    for wakeup in [Wakeup::new()?, Wakeup::pipe()?] {
        let name = wakeup.name();
        let c = coalescing(args.sends, wakeup)?;
        println!(
            "async send x {} from another thread ({name}): {} wakeups (system calls), {} callbacks, {:.1} ns per send",
            c.sends,
            c.wakes,
            c.callbacks,
            c.nanos as f64 / c.sends as f64
        );
    }
    Ok(())
}
