//! The scaling demo: N idle connections and one busy one, all to ourselves, and the time one loop
//! turn takes with a given backend.
//!
//! Each turn the busy client sends one byte; the loop waits, is told the busy connection is
//! readable, and reads the byte. The idle connections never do anything, yet with select and poll
//! every turn pays for them; with epoll and kqueue it does not.

use super::{Event, Interest, Poller, Token};
use crate::ch03_select::FD_SETSIZE;
use crate::sys::{net, ok_or_errno};
use std::io::{self, Write};
use std::net::TcpStream;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
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

/// Where [`move_above`] puts the fds a poller does not watch: past `FD_SETSIZE` and the fds a
/// run with a thousand connections hands out, so the watched fds stay small enough for select.
pub const UNWATCHED_FDS_FROM: RawFd = 2 * FD_SETSIZE as RawFd;

/// Moves `fd` to the lowest free fd number `>= min` (`fcntl(F_DUPFD_CLOEXEC)`) and closes the
/// original. Both ends of every test connection live in this process; moving the ends we do not
/// watch out of the way lets select watch a thousand connections although an `fd_set` holds fds
/// below 1024 only.
pub fn move_above(fd: OwnedFd, min: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: F_DUPFD_CLOEXEC on an open fd with an int argument takes no pointer.
    let new = ok_or_errno(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_DUPFD_CLOEXEC, min) })?;
    // SAFETY: `new` was just returned by fcntl, is open, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(new) })
}

// ANCHOR: measure
/// The demo, set up: `idle + 1` connections to ourselves, the server side of each watched by a
/// `P`, the last one busy.
pub struct Scaling<P: Poller> {
    poller: P,
    /// The client ends; only the last one ever sends.
    clients: Vec<TcpStream>,
    /// The server ends, watched.
    servers: Vec<OwnedFd>,
    /// The listener's port.
    port: u16,
}

impl<P: Poller> Scaling<P> {
    /// Opens `idle + 1` connections to `listener` (a blocking listening socket) and watches the
    /// server side of each with a new `P`.
    pub fn connect(listener: BorrowedFd<'_>, idle: usize) -> io::Result<Self> {
        let port = net::local_port(listener)?;
        let mut clients = Vec::with_capacity(idle + 1);
        let mut servers: Vec<OwnedFd> = Vec::with_capacity(idle + 1);
        let mut poller = P::new()?;
        for i in 0..=idle {
            let client = TcpStream::connect(("127.0.0.1", port))?;
            let client = move_above(OwnedFd::from(client), UNWATCHED_FDS_FROM)?;
            clients.push(TcpStream::from(client));
            let (fd, _) = net::accept(listener)?;
            // select refuses an fd >= FD_SETSIZE here, with the fd in the error.
            poller.register(fd.as_fd(), Token(i), Interest::READABLE)?;
            servers.push(fd);
        }
        Ok(Scaling {
            poller,
            clients,
            servers,
            port,
        })
    }

    /// The port the demo's connections go to.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Times `turns` turns in which only the last connection is busy.
    pub fn measure(&mut self, turns: u64) -> io::Result<Report> {
        let busy = self.servers.len() - 1;
        let mut events: Vec<Event> = Vec::new();
        for _ in 0..turns.div_ceil(10) {
            self.turn(busy, &mut events)?; // warm-up: caches, page faults
        }
        let start = Instant::now();
        for _ in 0..turns {
            self.turn(busy, &mut events)?;
        }
        let elapsed = start.elapsed();
        Ok(Report {
            backend: P::NAME,
            idle: busy,
            turns,
            per_turn: elapsed.div_f64(turns.max(1) as f64),
        })
    }

    /// One turn: the busy client sends a byte, the poller waits, the server reads the byte.
    fn turn(&mut self, busy: usize, events: &mut Vec<Event>) -> io::Result<()> {
        self.clients[busy].write_all(b"x")?;
        loop {
            match self.poller.wait(events, 64, -1) {
                Ok(_) => break,
                // A signal woke us: the byte is still there, so wait again.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        debug_assert!(events.iter().all(|e| e.token == Token(busy)));
        let mut byte = [0u8; 1];
        net::read(self.servers[busy].as_fd(), &mut byte)?;
        Ok(())
    }
}
// ANCHOR_END: measure
