//! The chat server on `select(2)`: every line a client sends goes to every other client.
//!
//! One thread, one loop. Each turn it rebuilds the read set (the listener and every client) and
//! the write set (the clients with output queued), sleeps in `select`, and then handles what is
//! ready: new connections, lines that arrived, queued output the socket can now take.

use super::conn::{Conn, QueueFull, ReadOutcome};
use super::fd_set::{FD_SETSIZE, FdSet, FdTooLarge};
use super::select::select;
use crate::sys::{net, signal};
use crate::text::counted;
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};

/// The default cap on one client's write queue, in bytes.
pub const DEFAULT_MAX_QUEUE: usize = 1 << 20;

/// What the server counted, printed when it stops.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Clients that joined.
    pub joined: u64,
    /// Lines received and broadcast.
    pub lines: u64,
    /// Connections refused because their fd did not fit in an `fd_set`.
    pub refused: u64,
    /// Clients dropped because they did not read (write queue over the cap).
    pub dropped: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stopped: {} joined, {} relayed, {} refused, {} dropped",
            counted(self.joined, "client", "clients"),
            counted(self.lines, "line", "lines"),
            self.refused,
            self.dropped
        )
    }
}

/// The chat room: the listener, the clients by id, and the counters.
pub struct ChatServer {
    /// The listening socket, non-blocking.
    listener: OwnedFd,
    /// Every client, by its chat id (ids are never reused, so a late event cannot hit the wrong
    /// client).
    clients: BTreeMap<u64, Conn>,
    /// The id the next client gets.
    next_id: u64,
    /// The cap on each write queue, in bytes.
    max_queue: usize,
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
    /// A chat room on `listener` (made non-blocking here) with write queues capped at
    /// `max_queue` bytes.
    pub fn new(listener: OwnedFd, max_queue: usize) -> io::Result<ChatServer> {
        net::set_nonblocking(listener.as_fd(), true)?;
        // The listener must fit in the set too; it is one of the first fds, so it does.
        FdSet::new().insert(listener.as_raw_fd())?;
        Ok(ChatServer {
            listener,
            clients: BTreeMap::new(),
            next_id: 1,
            max_queue,
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
            match select(nfds, Some(&mut read), Some(&mut write), None) {
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
                if readable {
                    self.on_readable(id);
                }
                if writable {
                    self.on_writable(id);
                }
                self.remove_doomed();
            }
        }
        Ok(self.summary)
    }
    // ANCHOR_END: run

    // ANCHOR: build_sets
    /// This turn's sets, built from scratch: `select` overwrote last turn's. Every client is in
    /// the read set; only those with output queued are in the write set (a socket with room in
    /// its send buffer is always writable: asking for it with nothing to say would wake us up at
    /// once, every turn). Returns `nfds`, one past the highest fd.
    fn build_sets(&self) -> Result<(FdSet, FdSet, libc::c_int), FdTooLarge> {
        let mut read = FdSet::new();
        let mut write = FdSet::new();
        let mut max_fd = self.listener.as_raw_fd();
        read.insert(max_fd)?;
        for client in self.clients.values() {
            read.insert(client.fd())?;
            if client.pending() > 0 {
                write.insert(client.fd())?;
            }
            max_fd = max_fd.max(client.fd());
        }
        Ok((read, write, max_fd + 1))
    }
    // ANCHOR_END: build_sets

    // ANCHOR: accept
    /// Accepts every connection waiting on the listener.
    fn accept_all(&mut self) -> io::Result<()> {
        loop {
            let (fd, peer) = match net::accept(self.listener.as_fd()) {
                Ok(conn) => conn,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
                // Gone before we took it, or a signal: nothing to do for this one.
                Err(e) if matches!(e.raw_os_error(), Some(libc::ECONNABORTED | libc::EINTR)) => {
                    continue;
                }
                // Out of fds (EMFILE/ENFILE): the connection stays queued, and the listener stays
                // readable. Say so and let the next turn try again.
                Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) => {
                    println!("accept: {e}");
                    return Ok(());
                }
                Err(e) => return Err(e),
            };
            if fd.as_raw_fd() as usize >= FD_SETSIZE {
                self.refuse(fd);
                continue;
            }
            net::set_nonblocking(fd.as_fd(), true)?;
            let id = self.next_id;
            self.next_id += 1;
            println!("client {id} joined from {peer} (fd {})", fd.as_raw_fd());
            self.summary.joined += 1;
            let mut conn = Conn::new(id, fd);
            let others = self.clients.len();
            let others = counted(others, "other", "others");
            let hello = format!("* you are client {id}; {others} here\n");
            conn.queue(hello.as_bytes(), self.max_queue)
                .expect("an empty queue has room");
            self.broadcast(id, format!("* client {id} joined\n").as_bytes());
            self.clients.insert(id, conn);
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
    /// Reads from client `id` and broadcasts each complete line to the others.
    fn on_readable(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return; // removed earlier this turn
        };
        match client.read_lines() {
            Ok(ReadOutcome::Lines(lines)) => {
                for line in lines {
                    self.summary.lines += 1;
                    let mut msg = format!("client {id}: ").into_bytes();
                    msg.extend_from_slice(&line);
                    msg.push(b'\n');
                    self.broadcast(id, &msg);
                }
            }
            Ok(ReadOutcome::Closed) => self.doomed.push((id, "left".into())),
            Err(e) => self.doomed.push((id, format!("dropped: {e}"))),
        }
    }

    /// Writes what client `id` has queued.
    fn on_writable(&mut self, id: u64) {
        if let Some(client) = self.clients.get_mut(&id)
            && let Err(e) = client.flush()
        {
            self.doomed.push((id, format!("dropped: {e}")));
        }
    }

    /// Queues `msg` for every client except `from`. A client whose queue is full is doomed.
    fn broadcast(&mut self, from: u64, msg: &[u8]) {
        for client in self.clients.values_mut().filter(|c| c.id != from) {
            if let Err(full @ QueueFull { .. }) = client.queue(msg, self.max_queue) {
                self.doomed.push((client.id, format!("dropped: {full}")));
            }
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
            drop(client); // closes the socket
            self.broadcast(id, format!("* client {id} left\n").as_bytes());
        }
    }
    // ANCHOR_END: on_readable

    /// How many clients are connected.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Whether no client is connected.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }
}
