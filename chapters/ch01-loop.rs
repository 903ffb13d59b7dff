//! Chapter 1: a blocking echo server. One client at a time, or `--threads` for one thread each.
//!
//! ```text
//! cargo run --bin ch01-loop                # one client at a time, on 127.0.0.1:7001
//! cargo run --bin ch01-loop -- --threads   # one thread per client
//! ```

use clap::Parser;
use eventloops::ch01_loop::server::{Mode, serve};
use eventloops::sys::{net, signal};
use eventloops::text::counted;
use std::os::fd::AsFd;
use std::process::ExitCode;

/// A blocking echo server: one client at a time, or one thread per client.
#[derive(Parser)]
struct Args {
    /// TCP port on 127.0.0.1 (0: let the kernel choose).
    #[arg(long, default_value_t = 7001)]
    port: u16,
    /// Give every client its own thread instead of serving them one after another.
    #[arg(long)]
    threads: bool,
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ch01-loop: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    signal::install_stop_handler()?;
    let listener = net::listen_tcp(args.port)
        .map_err(|e| format!("cannot listen on 127.0.0.1:{}: {e}", args.port))?;
    println!(
        "listening on 127.0.0.1:{}",
        net::local_port(listener.as_fd())?
    );
    let mode = if args.threads {
        Mode::ThreadPerClient
    } else {
        Mode::OneAtATime
    };
    let summary = serve(listener.as_fd(), mode)?;
    println!(
        "stopped: {} served, {} echoed",
        counted(summary.clients, "client", "clients"),
        counted(summary.bytes, "byte", "bytes")
    );
    Ok(())
}
