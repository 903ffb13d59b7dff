//! The busy-polling echo server: one thread, every socket non-blocking, tried in turn, forever.

use super::client::{Client, PENDING_CAP};
use super::cpu::{CpuReport, cpu_time};
use super::io::{Flushed, ReadOutcome, flush_pending, try_read};
use crate::sys::accept::AcceptError;
use crate::sys::{net, signal};
use crate::text::counted;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

/// How much one read takes from one client on one turn. Bounded, so that a client sending a flood
/// gets one buffer's worth per turn and every other client gets its turn too.
pub const READ_SIZE: usize = 16 * 1024;

/// At most this many new connections are accepted per turn, so a flood of connects cannot keep
/// the loop from serving the clients it has.
pub const ACCEPTS_PER_TURN: usize = 64;

/// What the server did, for its final line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Connections accepted.
    pub clients: u64,
    /// Turns of the loop: a measure of how busy "idle" is.
    pub turns: u64,
    /// CPU time over the whole run.
    pub cpu: CpuReport,
}

/// The server's state between turns.
pub struct Server {
    /// The listening socket, non-blocking: `accept` says `EAGAIN` when nobody is waiting.
    listener: OwnedFd,
    /// Every open connection, in the order accepted; each gets one read and one flush per turn.
    clients: Vec<Client>,
    /// Connections accepted so far; the last one's number in the log.
    accepted: u64,
    /// Whether the last `accept` failed (for example `EMFILE`), so we log it only once.
    accept_failing: bool,
    /// The one read buffer, shared by all clients: what is read goes straight into the client's
    /// pending output, so nothing needs to stay here between reads.
    buf: Vec<u8>,
}

impl Server {
    /// Takes a listening socket and puts it in non-blocking mode.
    pub fn new(listener: OwnedFd) -> io::Result<Server> {
        net::set_nonblocking(listener.as_fd(), true)?;
        Ok(Server {
            listener,
            clients: Vec::new(),
            accepted: 0,
            accept_failing: false,
            buf: vec![0; READ_SIZE],
        })
    }

    /// The port the server listens on. A program prints it only once the server is built, so
    /// that a client that connects as soon as it reads the port finds everything in place.
    pub fn port(&self) -> io::Result<u16> {
        net::local_port(self.listener.as_fd())
    }

    // ANCHOR: run
    /// Turns the loop until Ctrl-C, printing a CPU report every `report_every` (if given).
    pub fn run(&mut self, report_every: Option<Duration>) -> io::Result<Summary> {
        let (start, cpu_at_start) = (Instant::now(), cpu_time()?);
        let (mut last, mut cpu_at_last) = (start, cpu_at_start);
        let mut turns = 0;
        while !signal::stop_requested() {
            self.turn()?;
            turns += 1;
            if let Some(every) = report_every {
                let now = Instant::now();
                if now - last >= every {
                    let cpu = cpu_time()?;
                    let report = CpuReport {
                        cpu: cpu.since(cpu_at_last),
                        wall: now - last,
                    };
                    println!("{report}");
                    (last, cpu_at_last) = (now, cpu);
                }
            }
        }
        Ok(Summary {
            clients: self.accepted,
            turns,
            cpu: CpuReport {
                cpu: cpu_time()?.since(cpu_at_start),
                wall: start.elapsed(),
            },
        })
    }
    // ANCHOR_END: run

    // ANCHOR: turn
    /// One turn: accept whoever is waiting, then give every client one read and one flush.
    /// Nothing here ever waits; with no clients and no connections it returns at once, and
    /// [`Server::run`] calls it again.
    pub fn turn(&mut self) -> io::Result<()> {
        self.accept_waiting()?;
        // `retain_mut` visits every client once and drops (closes) those that return false.
        self.clients
            .retain_mut(|client| match serve(client, &mut self.buf) {
                Ok(()) if client.is_done() => {
                    let echoed = counted(client.echoed, "byte", "bytes");
                    println!("client {} disconnected ({echoed} echoed)", client.id);
                    false
                }
                Ok(()) => true,
                Err(e) => {
                    println!("client {} dropped: {e}", client.id);
                    false
                }
            });
        Ok(())
    }
    // ANCHOR_END: turn

    // ANCHOR: accept
    /// Accepts the connections waiting in the queue (up to [`ACCEPTS_PER_TURN`]), until `accept`
    /// says `EAGAIN`: nobody else is waiting.
    fn accept_waiting(&mut self) -> io::Result<()> {
        for _ in 0..ACCEPTS_PER_TURN {
            match net::accept(self.listener.as_fd()) {
                Ok((fd, peer)) => {
                    // Linux: an accepted socket does not inherit O_NONBLOCK from the listener.
                    net::set_nonblocking(fd.as_fd(), true)?;
                    self.accepted += 1;
                    self.accept_failing = false;
                    println!("client {} connected from {peer}", self.accepted);
                    self.clients.push(Client::new(self.accepted, fd));
                }
                Err(e) => match AcceptError::classify(&e) {
                    // Nobody else is waiting: done for this turn.
                    AcceptError::QueueEmpty => return Ok(()),
                    // That connection is gone (or a signal came): the next one may be fine.
                    AcceptError::Retry => continue,
                    // Out of fds (or kernel memory): the connection stays queued, and the next
                    // turn tries again anyway, since this loop never sleeps. Log that once, not
                    // once per turn.
                    AcceptError::Exhausted => {
                        if !std::mem::replace(&mut self.accept_failing, true) {
                            println!("accept failed: {e}");
                        }
                        return Ok(());
                    }
                    AcceptError::Fatal => return Err(e),
                },
            }
        }
        Ok(())
    }
    // ANCHOR_END: accept
}

// ANCHOR: serve
/// One client's share of a turn: at most one read, then as much writing as the kernel takes.
fn serve(client: &mut Client, buf: &mut [u8]) -> io::Result<()> {
    if client.wants_to_read() {
        match try_read(client.fd.as_fd(), buf)? {
            ReadOutcome::Data(n) => client.pending.extend_from_slice(&buf[..n]),
            ReadOutcome::Eof => client.eof = true,
            ReadOutcome::Nothing => {}
        }
    }
    if !client.pending.is_empty() {
        let before = client.pending.len();
        let flushed = flush_pending(client.fd.as_fd(), &mut client.pending)?;
        client.echoed += (before - client.pending.len()) as u64;
        // Backpressure: log when we stop (and start again) reading from a client that does not
        // read what we send it.
        let full = flushed == Flushed::Partly && client.pending.len() >= PENDING_CAP;
        if full != client.paused {
            client.paused = full;
            let (verb, n) = (
                if full { "paused" } else { "resumed" },
                client.pending.len(),
            );
            let pending = counted(n, "byte", "bytes");
            println!(
                "{verb} reading from client {} ({pending} pending)",
                client.id
            );
        }
    }
    Ok(())
}
// ANCHOR_END: serve
