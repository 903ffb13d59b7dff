//! `cargo run --bin ch07-phases -- --svg book/src/images/ch07-timeline.svg`: a traced run of the
//! loop (a 100 ms timer, an I/O callback at ~95 ms that blocks 10 ms), printed phase by phase and
//! drawn as an SVG timeline.

use clap::Parser;
use eventloops::ch07_phases::demo::traced_run;
use std::time::Duration;

/// Run a small program on the libuv-style loop and show which phase ran what, when.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The timer's delay, in ms.
    #[arg(long, default_value_t = 100)]
    timer_ms: u64,
    /// When the socket becomes readable, in ms.
    #[arg(long, default_value_t = 95)]
    io_ms: u64,
    /// How long the I/O callback blocks, in ms.
    #[arg(long, default_value_t = 10)]
    block_ms: u64,
    /// Write the timeline as SVG to this file.
    #[arg(long)]
    svg: Option<std::path::PathBuf>,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let report = traced_run(args.timer_ms, args.io_ms, args.block_ms)?;
    println!("trace (ms since the loop started):");
    for span in &report.trace.spans {
        println!(
            "  {:>6.1} – {:>6.1}  {:<8} {}",
            ms(span.start),
            ms(span.end),
            span.phase.name(),
            span.label
        );
    }
    println!("I/O callback ran at {:.1} ms", ms(report.io_at));
    println!(
        "timer of {} ms fired at {:.1} ms: {:.1} ms late, because the I/O callback blocked the loop",
        args.timer_ms,
        ms(report.timer_at),
        ms(report.timer_at) - args.timer_ms as f64
    );
    if let Some(path) = args.svg {
        let title = format!(
            "A {} ms timer and an I/O callback at ~{} ms that blocks {} ms",
            args.timer_ms, args.io_ms, args.block_ms
        );
        std::fs::write(&path, report.trace.to_svg(&title))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
