//! Chapter 3: a chat server on `select(2)`. Every line a client sends reaches every other client.
//!
//! ```text
//! cargo run --bin ch03-select            # then, in two more terminals: nc 127.0.0.1 7003
//! ```

use clap::Parser;
use eventloops::ch03_select::FD_SETSIZE;
use eventloops::ch03_select::chat::{ChatServer, DEFAULT_MAX_QUEUE, parse_max_queue};
use eventloops::sys::{limits, net, signal};

/// A chat server on select(2): each line a client sends goes to every other client.
#[derive(Parser)]
struct Args {
    /// The port to listen on (127.0.0.1 only); 0 lets the kernel choose.
    #[arg(long, default_value_t = 7003)]
    port: u16,
    /// Stop reading from every client while one has more than this many bytes waiting for it
    /// (16384 to 1073741824). A client that takes none of them for 5 s is dropped.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_QUEUE, value_parser = parse_max_queue)]
    max_queue: usize,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    signal::install_stop_handler()?;
    // More fds than select can watch, so that a client past FD_SETSIZE reaches accept and is
    // refused politely instead of waiting in the backlog.
    let limit = limits::raise_fd_limit(4 * FD_SETSIZE as libc::rlim_t)?;
    let listener = net::listen_tcp(args.port)?;
    let mut server = ChatServer::new(listener, args.max_queue)?;
    // Only now, with everything in place: a client may connect the moment it reads this.
    println!("listening on 127.0.0.1:{}", server.port()?);
    println!("fd limit {} (FD_SETSIZE {FD_SETSIZE})", limit.soft);
    let summary = server.run()?;
    println!("{summary}");
    Ok(())
}
