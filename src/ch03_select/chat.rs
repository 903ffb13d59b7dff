//! The chat server on `select(2)`: every line a client sends goes to every other client.
//!
//! One thread, one loop. Each turn it rebuilds the read set (the listener and every client) and
//! the write set (the clients with output queued), sleeps in `select`, and then handles what is
//! ready: new connections, lines that arrived, queued output the socket can now take.

use super::backpressure::{Backpressure, SEND_BUFFER, STALL_TIMEOUT, Valve, earliest};
use super::conn::{Conn, MAX_LINE, ReadOutcome};
use super::fd_set::{FD_SETSIZE, FdSet, FdTooLarge};
use super::select::select;
use crate::sys::accept::{AcceptError, AcceptPause};
use crate::sys::{net, signal};
use crate::text::counted;
use std::collections::BTreeMap;
use std::io;
use std::ops::RangeInclusive;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::time::Instant;

// ANCHOR: max_queue
/// The default high-water mark of a client's write queue, in bytes: the kernel already buffers
/// megabytes per loopback socket, so the server's own queue only has to bridge the moments
/// between two writes.
pub const DEFAULT_MAX_QUEUE: usize = 64 * 1024;

/// The values `--max-queue` accepts. At least one longest line ([`MAX_LINE`]), or a single line
/// would stop the room; at most 1 GiB per client.
pub const MAX_QUEUE_RANGE: RangeInclusive<usize> = MAX_LINE..=1 << 30;

/// Parses `--max-queue`: a whole number of bytes in [`MAX_QUEUE_RANGE`], refused at startup
/// with the reason otherwise.
pub fn parse_max_queue(arg: &str) -> Result<usize, String> {
    let bytes: usize = arg
        .parse()
        .map_err(|_| format!("`{arg}` is not a number of bytes"))?;
    if !MAX_QUEUE_RANGE.contains(&bytes) {
        return Err(format!(
            "{bytes} is outside {}..={} (at least one {MAX_LINE}-byte line must fit)",
            MAX_QUEUE_RANGE.start(),
            MAX_QUEUE_RANGE.end()
        ));
    }
    Ok(bytes)
}
// ANCHOR_END: max_queue

/// What the server counted, printed when it stops.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Clients that joined.
    pub joined: u64,
    /// Lines received and broadcast.
    pub lines: u64,
    /// Connections refused because their fd did not fit in an `fd_set`.
    pub refused: u64,
    /// Clients dropped: they stopped reading, sent too long a line, or their socket failed.
    pub dropped: u64,
    /// Times the server stopped reading because a receiver fell behind (backpressure).
    pub pauses: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stopped: {} joined, {} relayed, {} refused, {} dropped, {}",
            counted(self.joined, "client", "clients"),
            counted(self.lines, "line", "lines"),
            self.refused,
            self.dropped,
            counted(self.pauses, "pause", "pauses")
        )
    }
}

/// The chat room: the listener, the clients by id, and the counters.
pub struct ChatServer {
    /// The listening socket, non-blocking.
    listener: OwnedFd,
    /// Whether the listener is watched, or set aside while `accept` is out of fds.
    accepting: AcceptPause,
    /// Every client, by its chat id (ids are never reused, so a late event cannot hit the wrong
    /// client).
    clients: BTreeMap<u64, Conn>,
    /// The id the next client gets.
    next_id: u64,
    /// Whether the room reads, decided from the write queues' lengths.
    valve: Backpressure,
    /// Clients to remove at the end of the current step, with the reason; a client is never
    /// removed while the table is being walked.
    doomed: Vec<(u64, String)>,
    /// The counters.
    summary: Summary,
}

/// The line the server writes to a connection it must refuse because `fd` does not fit in an
/// `fd_set`, just before closing it.
pub fn refusal(fd: RawFd) -> String {
    format!("server full: {}\n", FdTooLarge { fd })
}

impl ChatServer {
    /// A chat room on `listener` (made non-blocking here) that stops reading while a client has
    /// more than `max_queue` bytes waiting for it.
    pub fn new(listener: OwnedFd, max_queue: usize) -> io::Result<ChatServer> {
        net::set_nonblocking(listener.as_fd(), true)?;
        // The listener must fit in the set too; it is one of the first fds, so it does.
        FdSet::new().insert(listener.as_raw_fd())?;
        Ok(ChatServer {
            listener,
            accepting: AcceptPause::new(),
            clients: BTreeMap::new(),
            next_id: 1,
            valve: Backpressure::new(max_queue),
            doomed: Vec::new(),
            summary: Summary::default(),
        })
    }

    /// The port the server listens on, to announce once the server is built.
    pub fn port(&self) -> io::Result<u16> {
        net::local_port(self.listener.as_fd())
    }

    // ANCHOR: run
    /// Serves until Ctrl-C (`SIGINT`) or `SIGTERM`, then returns the counters.
    pub fn run(&mut self) -> io::Result<Summary> {
        while !signal::stop_requested() {
            let (mut read, mut write, nfds) = self.build_sets()?;
            // For ever, unless something paused needs the clock (see `after_turn`).
            let limit = earliest(
                self.valve.wait_limit(),
                self.accepting.wait_limit(Instant::now()),
            );
            match select(nfds, Some(&mut read), Some(&mut write), limit) {
                Ok(_) => {}
                // The one place this loop handles EINTR: a signal woke us; the `while` looks at
                // the stop flag, and otherwise we go round again.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            if read.contains(self.listener.as_raw_fd()) {
                self.accept_all()?;
            }
            // Which clients are ready is decided now, before anything is handled: handling
            // one may remove another.
            let ready: Vec<(u64, bool, bool)> = self
                .clients
                .values()
                .map(|c| (c.id, read.contains(c.fd()), write.contains(c.fd())))
                .filter(|&(_, r, w)| r || w)
                .collect();
            for (id, readable, writable) in ready {
                // An earlier client of this turn may have paused reading.
                if readable && !self.valve.is_paused() {
                    self.on_readable(id);
                }
                if writable {
                    self.on_writable(id);
                }
                self.remove_doomed();
            }
            self.after_turn();
            if self.accepting.listener_back() {
                // Not waiting for a readiness that may never come: see `listener_back`.
                self.accept_all()?;
            }
        }
        Ok(self.summary)
    }
    // ANCHOR_END: run

    // ANCHOR: build_sets
    /// This turn's sets, built from scratch: `select` overwrote last turn's. Every client is in
    /// the read set, unless reading is paused; only those with output queued are in the write
    /// set (a socket with room in its send buffer is always writable: asking for it with nothing
    /// to say would wake us up at once, every turn). The listener is in the read set unless
    /// `accept` ran out of fds. Returns `nfds`, one past the highest fd.
    fn build_sets(&self) -> Result<(FdSet, FdSet, libc::c_int), FdTooLarge> {
        let mut read = FdSet::new();
        let mut write = FdSet::new();
        let mut max_fd = self.listener.as_raw_fd();
        if self.accepting.watching() {
            read.insert(max_fd)?;
        }
        let reading = !self.valve.is_paused();
        for client in self.clients.values() {
            if reading {
                read.insert(client.fd())?;
            }
            if client.pending() > 0 {
                write.insert(client.fd())?;
            }
            max_fd = max_fd.max(client.fd());
        }
        Ok((read, write, max_fd + 1))
    }
    // ANCHOR_END: build_sets

    // ANCHOR: accept
    /// Accepts every connection waiting on the listener. The errors are sorted by
    /// [`AcceptError::classify`]; out of fds, the listener leaves the read set until a client
    /// leaves (`remove_doomed`), so the loop sleeps instead of spinning on a listener that stays
    /// readable.
    fn accept_all(&mut self) -> io::Result<()> {
        loop {
            let (fd, peer) = match net::accept(self.listener.as_fd()) {
                Ok(conn) => conn,
                Err(e) => match AcceptError::classify(&e) {
                    AcceptError::QueueEmpty => {
                        if self.accepting.caught_up() {
                            println!("accepting again: every waiting client is in");
                        }
                        return Ok(());
                    }
                    AcceptError::Retry => continue,
                    AcceptError::Exhausted => {
                        if self.accepting.exhausted(Instant::now()) {
                            println!("accept: {e}; not accepting until a client leaves");
                        }
                        return Ok(());
                    }
                    AcceptError::Fatal => return Err(e),
                },
            };
            if fd.as_raw_fd() as usize >= FD_SETSIZE {
                self.refuse(fd);
                continue;
            }
            net::set_nonblocking(fd.as_fd(), true)?;
            net::set_send_buffer(fd.as_fd(), SEND_BUFFER)?; // small: progress shows often
            let id = self.next_id;
            self.next_id += 1;
            println!("client {id} joined from {peer} (fd {})", fd.as_raw_fd());
            self.summary.joined += 1;
            let others = self.clients.len();
            self.broadcast(id, format!("* client {id} joined\n").as_bytes());
            self.clients.insert(id, Conn::new(id, fd));
            let others = counted(others, "other", "others");
            let hello = format!("* you are client {id}; {others} here\n");
            self.send(id, hello.as_bytes());
            self.remove_doomed();
        }
    }

    /// Tells a connection whose fd is too large for `select` why it is being closed, and closes
    /// it. The fd is never put in an `fd_set`: that would write past its end.
    fn refuse(&mut self, fd: OwnedFd) {
        let msg = refusal(fd.as_raw_fd());
        print!("refused fd {}: {msg}", fd.as_raw_fd());
        // A fresh socket's send buffer is empty, so one short write fits; if it fails anyway the
        // client only misses the explanation.
        let _ = net::set_nonblocking(fd.as_fd(), true);
        let _ = net::write(fd.as_fd(), msg.as_bytes());
        self.summary.refused += 1;
        drop(fd); // closes it
    }
    // ANCHOR_END: accept

    // ANCHOR: on_readable
    /// Reads from client `id` and broadcasts the complete lines to the others, all of this
    /// read's lines as one message.
    fn on_readable(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return; // removed earlier this turn
        };
        let prefix = format!("client {id}: ");
        let mut relayed = Vec::new();
        let outcome = client.read_lines(|line| {
            relayed.extend_from_slice(prefix.as_bytes());
            relayed.extend_from_slice(line);
            relayed.push(b'\n');
        });
        match outcome {
            Ok(ReadOutcome::Lines(0)) => {}
            Ok(ReadOutcome::Lines(n)) => {
                self.summary.lines += n as u64;
                self.broadcast(id, &relayed);
            }
            Ok(ReadOutcome::Closed) => self.doomed.push((id, "left".into())),
            Err(e) => self.doomed.push((id, format!("dropped: {e}"))),
        }
    }

    /// Writes what client `id` has queued.
    fn on_writable(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        let before = client.pending();
        let flushed = client.flush();
        let after = client.pending();
        self.queue_changed(before, after);
        if let Err(e) = flushed {
            self.doomed.push((id, format!("dropped: {e}")));
        }
    }

    /// Queues `msg` for every client except `from`.
    fn broadcast(&mut self, from: u64, msg: &[u8]) {
        let others: Vec<u64> = self
            .clients
            .keys()
            .copied()
            .filter(|&id| id != from)
            .collect();
        for id in others {
            self.send(id, msg);
        }
    }

    /// Queues `msg` for client `id`.
    fn send(&mut self, id: u64, msg: &[u8]) {
        if let Some(client) = self.clients.get_mut(&id) {
            let before = client.pending();
            client.queue(msg);
            self.queue_changed(before, before + msg.len());
        }
    }

    /// Tells the valve that a queue changed length; counts the pauses. (Nothing else to do
    /// here: `build_sets` reads the valve every turn.)
    fn queue_changed(&mut self, before: usize, after: usize) {
        if self.valve.queue_changed(before, after) == Some(Valve::Pause) {
            self.summary.pauses += 1;
        }
    }

    /// Removes the doomed clients (closing their sockets) and tells the others they left, which
    /// may doom more clients; repeats until none is left.
    fn remove_doomed(&mut self) {
        while let Some((id, reason)) = self.doomed.pop() {
            let Some(client) = self.clients.remove(&id) else {
                continue; // doomed twice
            };
            if reason.starts_with("dropped") {
                self.summary.dropped += 1;
            }
            println!("client {id} {reason} (fd {})", client.fd());
            self.queue_changed(client.pending(), 0);
            drop(client); // closes the socket: an fd is free, so the listener may come back
            self.accepting.fd_freed();
            self.broadcast(id, format!("* client {id} left\n").as_bytes());
        }
    }
    // ANCHOR_END: on_readable

    // ANCHOR: after_turn
    /// What needs the clock, once per turn: a receiver that holds the room paused and has
    /// taken nothing for [`STALL_TIMEOUT`] is dropped, and a listener set aside for a while is
    /// tried again.
    fn after_turn(&mut self) {
        let now = Instant::now();
        if self.valve.scan_due(now) {
            for client in self.clients.values() {
                if self
                    .valve
                    .is_stalled(client.pending(), client.idle_for(now))
                {
                    let reason = format!(
                        "dropped: not reading ({} bytes queued, none taken for {} s)",
                        client.pending(),
                        STALL_TIMEOUT.as_secs()
                    );
                    self.doomed.push((client.id, reason));
                }
            }
            self.remove_doomed();
        }
        self.accepting.retry_due(now);
    }
    // ANCHOR_END: after_turn

    /// How many clients are connected.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Whether no client is connected.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }
}
