//! Chapter 2: a busy-polling echo server that reports the CPU time it burns.
//!
//! ```text
//! cargo run --bin ch02-nonblocking                          # on 127.0.0.1:7002
//! cargo run --bin ch02-nonblocking -- --report-every 1      # a CPU report every second
//! ```

use clap::Parser;
use eventloops::ch02_nonblocking::server::Server;
use eventloops::sys::{net, signal};
use eventloops::text::counted;
use std::process::ExitCode;
use std::time::Duration;

/// A busy-polling echo server: one thread, non-blocking sockets, and a CPU report.
#[derive(Parser)]
struct Args {
    /// TCP port on 127.0.0.1 (0: let the kernel choose).
    #[arg(long, default_value_t = 7002)]
    port: u16,
    /// Print the CPU time used every SECS seconds (0: only at the end).
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    report_every: f64,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ch02-nonblocking: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let report_every = match Duration::try_from_secs_f64(args.report_every) {
        Ok(d) if d.is_zero() => None,
        Ok(d) => Some(d),
        Err(e) => return Err(format!("--report-every {}: {e}", args.report_every).into()),
    };
    signal::install_stop_handler()?;
    let listener = net::listen_tcp(args.port)
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    let mut server = Server::new(listener)?;
    // Only now, with everything in place: a client may connect the moment it reads this.
    println!("listening on 127.0.0.1:{}", server.port()?);
    let summary = server.run(report_every)?;
    println!(
        "stopped: {} served, {}; {}",
        counted(summary.clients, "client", "clients"),
        counted(summary.turns, "turn", "turns"),
        summary.cpu
    );
    Ok(())
}
