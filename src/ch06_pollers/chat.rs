//! Chapter 3's chat server, written once for every backend: generic over `P: Poller`.
//!
//! Same protocol: a client is greeted with `* you are client N; M others here`, the others hear
//! `* client N joined`; each line a client sends reaches every other client as
//! `client N: line`; when it leaves, the others hear `* client N left`.
//!
//! What changed from chapter 3 is *who remembers the interest list*. The select loop rebuilt its
//! sets every turn from every client. This loop tells the poller only what changes: a client is
//! registered once, readable; it is switched to readable + writable when output is queued for
//! it, and back when its queue empties ([`change::apply`]). With epoll or
//! kqueue a turn then costs O(ready), not O(clients).

use super::change;
use super::{Event, Interest, Poller, Token};
use crate::sys::{net, signal};
use crate::text::counted;
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};

/// The default cap on one client's write queue, in bytes: a client that does not read is
/// dropped rather than buffered without bound.
pub const DEFAULT_MAX_QUEUE: usize = 1 << 20;

/// The longest line a client may send; longer is a protocol error and drops the client.
pub const MAX_LINE: usize = 64 * 1024;

/// How many events one wait may return (libuv's batch size).
pub const MAX_EVENTS: usize = 1024;

/// The listener's token. Clients get their chat id, which starts at 1 and is never reused, so a
/// late event cannot reach the wrong client.
const LISTENER: Token = Token(0);

/// What the server counted, printed when it stops.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Clients that joined.
    pub joined: u64,
    /// Lines received and broadcast.
    pub lines: u64,
    /// Connections the backend could not watch (select: fd too large), closed at once.
    pub refused: u64,
    /// Clients dropped because they did not read, sent too long a line, or failed.
    pub dropped: u64,
    /// Loop turns (waits that returned).
    pub turns: u64,
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
            counted(self.turns, "turn", "turns")
        )
    }
}

/// One client, as the server sees it.
struct Client {
    /// The socket, non-blocking.
    fd: OwnedFd,
    /// Bytes read but not yet a whole line.
    partial: Vec<u8>,
    /// Bytes queued for the client, not yet written.
    out: Vec<u8>,
    /// What the poller watches for this client now.
    interest: Interest,
}

impl Client {
    /// What the poller should watch: always readable; writable only with output queued (an
    /// empty send buffer is always writable, which would wake us every turn for nothing).
    fn wanted(&self) -> Interest {
        Interest {
            readable: true,
            writable: !self.out.is_empty(),
        }
    }
}

/// The chat room on poller `P`.
pub struct Chat<P: Poller> {
    /// The kernel's (or our) interest list.
    poller: P,
    /// The listening socket, non-blocking.
    listener: OwnedFd,
    /// Every client, by chat id.
    clients: BTreeMap<u64, Client>,
    /// The id the next client gets.
    next_id: u64,
    /// The events of the last wait, kept to reuse the allocation.
    events: Vec<Event>,
    /// Clients whose wanted interest may differ from what the poller has: fixed at the end of
    /// each turn, so a turn touches only the clients it touched.
    dirty: Vec<u64>,
    /// Clients to remove, with the reason; never removed while we walk the table.
    doomed: Vec<(u64, String)>,
    /// The cap on each write queue.
    max_queue: usize,
    /// The counters.
    summary: Summary,
}

impl<P: Poller> Chat<P> {
    /// A chat room on `listener` (made non-blocking here) with a new `P`.
    pub fn new(listener: OwnedFd, max_queue: usize) -> io::Result<Chat<P>> {
        net::set_nonblocking(listener.as_fd(), true)?;
        let mut poller = P::new()?;
        poller.register(listener.as_fd(), LISTENER, Interest::READABLE)?;
        Ok(Chat {
            poller,
            listener,
            clients: BTreeMap::new(),
            next_id: 1,
            events: Vec::new(),
            dirty: Vec::new(),
            doomed: Vec::new(),
            max_queue,
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
            match self.turn(-1) {
                Ok(_) => {}
                // The one place this loop handles EINTR: a signal woke the wait; the `while`
                // looks at the stop flag, and otherwise we wait again.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(self.summary)
    }

    /// One turn: wait up to `timeout_ms`, handle every event, then tell the poller about the
    /// interests that changed. Returns how many events the wait reported.
    pub fn turn(&mut self, timeout_ms: i32) -> io::Result<usize> {
        // Taken out of `self` so the handlers below may borrow `self` mutably.
        let mut events = std::mem::take(&mut self.events);
        let waited = self.poller.wait(&mut events, MAX_EVENTS, timeout_ms);
        if waited.is_ok() {
            self.summary.turns += 1;
        }
        let mut result = waited;
        for event in &events {
            if event.token == LISTENER {
                if let Err(e) = self.accept_all() {
                    result = Err(e);
                    break;
                }
                continue;
            }
            let id = event.token.0 as u64;
            if event.readable {
                self.on_readable(id);
            }
            if event.writable {
                self.on_writable(id);
            }
            self.remove_doomed();
        }
        self.events = events;
        self.update_interests()?;
        result
    }
    // ANCHOR_END: run

    // ANCHOR: update_interests
    /// Brings the poller up to date for every client touched this turn: one `reregister` for a
    /// client whose queue went from empty to not (or back), nothing for the others.
    fn update_interests(&mut self) -> io::Result<()> {
        while let Some(id) = self.dirty.pop() {
            let Some(client) = self.clients.get_mut(&id) else {
                continue; // gone: deregistered when it was removed
            };
            let wanted = client.wanted();
            change::apply(
                &mut self.poller,
                client.fd.as_fd(),
                Token(id as usize),
                Some(client.interest),
                Some(wanted),
            )?;
            client.interest = wanted;
        }
        Ok(())
    }
    // ANCHOR_END: update_interests

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
                // Out of fds: the connection stays queued; say so and try again next turn.
                Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) => {
                    println!("accept: {e}");
                    return Ok(());
                }
                Err(e) => return Err(e),
            };
            net::set_nonblocking(fd.as_fd(), true)?;
            let id = self.next_id;
            if let Err(e) = self
                .poller
                .register(fd.as_fd(), Token(id as usize), Interest::READABLE)
            {
                // select refuses fds >= FD_SETSIZE here, with the reason in `e`.
                println!("refused fd {}: {e}", fd.as_raw_fd());
                let _ = net::write(fd.as_fd(), format!("server full: {e}\n").as_bytes());
                self.summary.refused += 1;
                continue; // dropping `fd` closes it
            }
            self.next_id += 1;
            self.summary.joined += 1;
            println!("client {id} joined from {peer} (fd {})", fd.as_raw_fd());
            let others = self.clients.len();
            self.clients.insert(
                id,
                Client {
                    fd,
                    partial: Vec::new(),
                    out: Vec::new(),
                    interest: Interest::READABLE,
                },
            );
            self.send_to(
                id,
                format!(
                    "* you are client {id}; {} here\n",
                    counted(others, "other", "others")
                )
                .as_bytes(),
            );
            self.broadcast(id, format!("* client {id} joined\n").as_bytes());
            self.remove_doomed();
        }
    }

    /// Reads once from client `id` (the poller is level-triggered: anything left is reported
    /// again next turn) and broadcasts each complete line.
    fn on_readable(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return; // removed earlier this turn
        };
        let mut buf = [0u8; 4096];
        let n = match net::read(client.fd.as_fd(), &mut buf) {
            Ok(0) => return self.doomed.push((id, "left".into())),
            Ok(n) => n,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
                ) =>
            {
                return; // the event was a hint, not a promise
            }
            Err(e) => return self.doomed.push((id, format!("dropped: {e}"))),
        };
        client.partial.extend_from_slice(&buf[..n]);
        let mut lines = Vec::new();
        while let Some(end) = client.partial.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = client.partial.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            lines.push(line);
        }
        if client.partial.len() > MAX_LINE {
            self.doomed.push((id, "dropped: line too long".into()));
        }
        for line in lines {
            self.summary.lines += 1;
            let mut msg = format!("client {id}: ").into_bytes();
            msg.extend_from_slice(&line);
            msg.push(b'\n');
            self.broadcast(id, &msg);
        }
    }

    /// Writes what client `id` has queued, until the queue is empty or the socket is full.
    fn on_writable(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        while !client.out.is_empty() {
            match net::write(client.fd.as_fd(), &client.out) {
                Ok(n) => {
                    client.out.drain(..n);
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return self.doomed.push((id, format!("dropped: {e}"))),
            }
        }
        if client.out.is_empty() {
            self.dirty.push(id); // no longer interested in writable
        }
    }

    /// Queues `msg` for client `id`, dooming it if its queue would pass the cap.
    fn send_to(&mut self, id: u64, msg: &[u8]) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        if client.out.len() + msg.len() > self.max_queue {
            self.doomed.push((id, "dropped: not reading".into()));
            return;
        }
        if client.out.is_empty() {
            self.dirty.push(id); // now interested in writable
        }
        client.out.extend_from_slice(msg);
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
            self.send_to(id, msg);
        }
    }

    /// Removes the doomed clients and tells the others; repeats while that dooms more.
    fn remove_doomed(&mut self) {
        while let Some((id, reason)) = self.doomed.pop() {
            let Some(client) = self.clients.remove(&id) else {
                continue; // doomed twice
            };
            if reason.starts_with("dropped") {
                self.summary.dropped += 1;
            }
            // Deregister *before* the fd is closed (see the contract in the module doc). The
            // error is ignored on purpose: the client goes either way.
            let _ = self.poller.deregister(client.fd.as_fd());
            println!("client {id} {reason} (fd {})", client.fd.as_raw_fd());
            drop(client); // closes the socket
            self.broadcast(id, format!("* client {id} left\n").as_bytes());
        }
    }

    /// How many clients are connected.
    pub fn len(&self) -> usize {
        self.clients.len()
    }

    /// Whether no client is connected.
    pub fn is_empty(&self) -> bool {
        self.clients.is_empty()
    }
}
