//! Chapter 4: the chat server of chapter 3, on a callback registry.
//!
//! ```text
//! cargo run --bin ch04-registry          # then, in two more terminals: nc 127.0.0.1 7004
//! ```

use clap::Parser;
use eventloops::ch03_select::FD_SETSIZE;
use eventloops::ch03_select::chat::{DEFAULT_MAX_QUEUE, parse_max_queue};
use eventloops::ch04_registry::{Loop, chat};
use eventloops::sys::{limits, net, signal};

/// A chat server on a callback registry over select(2): each line goes to every other client.
#[derive(Parser)]
struct Args {
    /// The port to listen on (127.0.0.1 only); 0 lets the kernel choose.
    #[arg(long, default_value_t = 7004)]
    port: u16,
    /// Stop reading from every client while one has more than this many bytes waiting for it
    /// (16384 to 1073741824). A client that takes none of them for 5 s is dropped.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_QUEUE, value_parser = parse_max_queue)]
    max_queue: usize,
}

// ANCHOR: main
fn main() -> std::io::Result<()> {
    let args = Args::parse();
    signal::install_stop_handler()?;
    let limit = limits::raise_fd_limit(4 * FD_SETSIZE as libc::rlim_t)?;
    let listener = net::listen_tcp(args.port)?;
    let mut lp = Loop::new();
    let room = chat::serve(&mut lp, listener, args.max_queue)?;
    // Only now, with the listener registered: a client may connect the moment it reads this.
    println!("listening on 127.0.0.1:{}", room.borrow().port());
    println!("fd limit {} (FD_SETSIZE {FD_SETSIZE})", limit.soft);
    chat::run(&mut lp, &room)?;
    println!("{}", room.borrow().summary());
    Ok(())
}
// ANCHOR_END: main
