//! The scaling demo: N idle connections and one busy one, all to ourselves, and the time one loop
//! turn takes with a given backend.
//!
//! Each turn the busy client sends one byte; the loop waits, is told the busy connection is
//! readable, and reads the byte. The idle connections never do anything, yet with select and poll
//! every turn pays for them; with epoll and kqueue it does not.

use super::{Event, Interest, Poller, Token};
use crate::sys::net;
use std::io::{self, Write};
use std::net::TcpStream;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};

/// What one scaling run measured.
#[derive(Debug, Clone)]
pub struct Report {
    /// The backend's name.
    pub backend: &'static str,
    /// Idle connections watched besides the busy one.
    pub idle: usize,
    /// Turns measured.
    pub turns: u64,
    /// Wall-clock time per turn (write one byte, wait, read it).
    pub per_turn: Duration,
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} idle + 1 busy connections, {} turns, {:.2} µs per turn",
            self.backend,
            self.idle,
            self.turns,
            self.per_turn.as_secs_f64() * 1e6
        )
    }
}

// ANCHOR: measure
/// Opens `idle + 1` connections to `listener` (a blocking listening socket), watches the
/// server side of each with a new `P`, and times `turns` turns in which only the last one is
/// busy.
pub fn measure<P: Poller>(listener: BorrowedFd<'_>, idle: usize, turns: u64) -> io::Result<Report> {
    let port = net::local_port(listener)?;
    let mut clients = Vec::with_capacity(idle + 1);
    let mut servers: Vec<OwnedFd> = Vec::with_capacity(idle + 1);
    let mut poller = P::new()?;
    for i in 0..=idle {
        clients.push(TcpStream::connect(("127.0.0.1", port))?);
        let (fd, _) = net::accept(listener)?;
        // select refuses an fd >= FD_SETSIZE here, with the fd in the error.
        poller.register(fd.as_fd(), Token(i), Interest::READABLE)?;
        servers.push(fd);
    }
    let busy = idle;
    let mut events: Vec<Event> = Vec::new();
    let mut byte = [0u8; 1];
    let mut turn = |events: &mut Vec<Event>| -> io::Result<()> {
        clients[busy].write_all(b"x")?;
        loop {
            match poller.wait(events, 64, -1) {
                Ok(_) => break,
                // A signal woke us: the byte is still there, so wait again.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        debug_assert!(events.iter().all(|e| e.token == Token(busy)));
        net::read(servers[busy].as_fd(), &mut byte)?;
        Ok(())
    };
    for _ in 0..turns.div_ceil(10) {
        turn(&mut events)?; // warm-up: caches, page faults
    }
    let start = Instant::now();
    for _ in 0..turns {
        turn(&mut events)?;
    }
    let elapsed = start.elapsed();
    Ok(Report {
        backend: P::NAME,
        idle,
        turns,
        per_turn: elapsed.div_f64(turns.max(1) as f64),
    })
}
// ANCHOR_END: measure
