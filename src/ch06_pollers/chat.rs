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
use crate::ch03_select::backpressure::{Backpressure, SEND_BUFFER, STALL_TIMEOUT, Valve, earliest};
use crate::ch03_select::conn::split_lines;
use crate::sys::accept::{AcceptError, AcceptPause};
use crate::sys::{net, signal};
use crate::text::counted;
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::time::{Duration, Instant};

/// The default high-water mark of a client's write queue, in bytes: while a client has more
/// than this waiting for it, the room stops reading (chapter 3's backpressure).
pub const DEFAULT_MAX_QUEUE: usize = 64 * 1024;

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
    /// Clients dropped because they stopped reading, sent too long a line, or failed.
    pub dropped: u64,
    /// Times the room stopped reading because a receiver fell behind (backpressure).
    pub pauses: u64,
    /// Loop turns (waits that returned).
    pub turns: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "stopped: {} joined, {} relayed, {} refused, {} dropped, {}, {}",
            counted(self.joined, "client", "clients"),
            counted(self.lines, "line", "lines"),
            self.refused,
            self.dropped,
            counted(self.pauses, "pause", "pauses"),
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
    /// When the client last took bytes from `out`, or `out` last went from empty to not.
    last_progress: Instant,
    /// What the poller watches for this client now.
    interest: Interest,
}

impl Client {
    /// What the poller should watch: readable unless the room has stopped reading; writable
    /// only with output queued (an empty send buffer is always writable, which would wake us
    /// every turn for nothing). Neither means "not in the poller at all" (see [`change`]).
    fn wanted(&self, reading: bool) -> Interest {
        Interest {
            readable: reading,
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
    /// Whether the listener is watched, or set aside while `accept` is out of fds.
    accepting: AcceptPause,
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
    /// Whether the room reads, decided from the write queues' lengths.
    valve: Backpressure,
    /// The counters.
    summary: Summary,
}

impl<P: Poller> Chat<P> {
    /// A chat room on `listener` (made non-blocking here) with a new `P`, which stops reading
    /// while a client has more than `max_queue` bytes waiting for it.
    pub fn new(listener: OwnedFd, max_queue: usize) -> io::Result<Chat<P>> {
        net::set_nonblocking(listener.as_fd(), true)?;
        let mut poller = P::new()?;
        poller.register(listener.as_fd(), LISTENER, Interest::READABLE)?;
        Ok(Chat {
            poller,
            listener,
            accepting: AcceptPause::new(),
            clients: BTreeMap::new(),
            next_id: 1,
            events: Vec::new(),
            dirty: Vec::new(),
            doomed: Vec::new(),
            valve: Backpressure::new(max_queue),
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
            // For ever, unless something paused needs the clock (see `after_turn`).
            let limit = earliest(
                self.valve.wait_limit(),
                self.accepting.wait_limit(Instant::now()),
            );
            match self.turn(timeout_ms(limit)) {
                Ok(_) => {}
                // The one place this loop handles EINTR: a signal woke the wait; the `while`
                // looks at the stop flag, and otherwise we wait again.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
            self.after_turn()?;
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
            // An earlier event of this batch may have paused reading.
            if event.readable && !self.valve.is_paused() {
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
    /// client whose queue went from empty to not (or back), nothing for the others. (When the
    /// room stops or starts reading, every client is touched.)
    fn update_interests(&mut self) -> io::Result<()> {
        let reading = !self.valve.is_paused();
        while let Some(id) = self.dirty.pop() {
            let Some(client) = self.clients.get_mut(&id) else {
                continue; // gone: deregistered when it was removed
            };
            let wanted = client.wanted(reading);
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

    // ANCHOR: accept
    /// Accepts every connection waiting on the listener. The errors are sorted by
    /// [`AcceptError::classify`]; out of fds, the listener leaves the poller until a client
    /// leaves, so the loop sleeps instead of spinning on a listener that stays readable.
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
                        return self.poller.deregister(self.listener.as_fd());
                    }
                    AcceptError::Fatal => return Err(e),
                },
            };
            net::set_nonblocking(fd.as_fd(), true)?;
            net::set_send_buffer(fd.as_fd(), SEND_BUFFER)?; // small: progress shows often
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
                    last_progress: Instant::now(),
                    interest: Interest::READABLE,
                },
            );
            // Registered readable; if the room is not reading now, the next update says so.
            self.dirty.push(id);
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

    /// Puts the listener back in the poller, after `accept` ran out of fds.
    fn watch_listener(&mut self) -> io::Result<()> {
        self.poller
            .register(self.listener.as_fd(), LISTENER, Interest::READABLE)
    }
    // ANCHOR_END: accept

    /// Reads once from client `id` (the poller is level-triggered: anything left is reported
    /// again next turn) and broadcasts this read's complete lines as one message.
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
        let prefix = format!("client {id}: ");
        let mut relayed = Vec::new();
        let lines = split_lines(&mut client.partial, &buf[..n], |line| {
            relayed.extend_from_slice(prefix.as_bytes());
            relayed.extend_from_slice(line);
            relayed.push(b'\n');
        });
        if client.partial.len() > MAX_LINE {
            self.doomed.push((id, "dropped: line too long".into()));
        }
        if lines > 0 {
            self.summary.lines += lines as u64;
            self.broadcast(id, &relayed);
        }
    }

    /// Writes what client `id` has queued, until the queue is empty or the socket is full.
    fn on_writable(&mut self, id: u64) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        let before = client.out.len();
        let mut failed = None;
        while !client.out.is_empty() {
            match net::write(client.fd.as_fd(), &client.out) {
                Ok(n) => {
                    client.out.drain(..n);
                    client.last_progress = Instant::now();
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        let after = client.out.len();
        if after == 0 {
            self.dirty.push(id); // no longer interested in writable
        }
        self.queue_changed(before, after);
        if let Some(e) = failed {
            self.doomed.push((id, format!("dropped: {e}")));
        }
    }

    /// Queues `msg` for client `id`.
    fn send_to(&mut self, id: u64, msg: &[u8]) {
        let Some(client) = self.clients.get_mut(&id) else {
            return;
        };
        let before = client.out.len();
        if before == 0 {
            self.dirty.push(id); // now interested in writable
            client.last_progress = Instant::now(); // the clock starts with something to read
        }
        client.out.extend_from_slice(msg);
        self.queue_changed(before, before + msg.len());
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

    /// Tells the valve that a queue changed length; when the room stops or starts reading,
    /// every client's interest changes.
    fn queue_changed(&mut self, before: usize, after: usize) {
        let Some(change) = self.valve.queue_changed(before, after) else {
            return;
        };
        if change == Valve::Pause {
            self.summary.pauses += 1;
        }
        self.dirty.extend(self.clients.keys().copied());
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
            // error is ignored on purpose: the client goes either way (and a paused client with
            // nothing to write is not in the poller at all).
            let _ = self.poller.deregister(client.fd.as_fd());
            println!("client {id} {reason} (fd {})", client.fd.as_raw_fd());
            self.queue_changed(client.out.len(), 0);
            drop(client); // closes the socket: an fd is free, so the listener may come back
            if self.accepting.fd_freed() {
                // Cannot fail for a listener we deregistered ourselves; if it did, the retry
                // in `after_turn` would not help either, so say so.
                if let Err(e) = self.watch_listener() {
                    println!("cannot watch the listener again: {e}");
                }
            }
            self.broadcast(id, format!("* client {id} left\n").as_bytes());
        }
    }

    // ANCHOR: after_turn
    /// What needs the clock, once per turn: a receiver that holds the room paused and has taken
    /// nothing for [`STALL_TIMEOUT`] is dropped, and a listener set aside for a while is tried
    /// again.
    fn after_turn(&mut self) -> io::Result<()> {
        let now = Instant::now();
        if self.valve.scan_due(now) {
            for (&id, client) in &self.clients {
                let queued = client.out.len();
                let idle = now.saturating_duration_since(client.last_progress);
                if self.valve.is_stalled(queued, idle) {
                    let reason = format!(
                        "dropped: not reading ({queued} bytes queued, none taken for {} s)",
                        STALL_TIMEOUT.as_secs()
                    );
                    self.doomed.push((id, reason));
                }
            }
            self.remove_doomed();
            self.update_interests()?;
        }
        if self.accepting.retry_due(now) {
            self.watch_listener()?;
        }
        if self.accepting.listener_back() {
            // Not waiting for a readiness that may never come: see `listener_back`.
            self.accept_all()?;
        }
        Ok(())
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

/// A wait limit as the pollers take it: milliseconds, rounded up (a 0.4 ms limit must not
/// become a busy 0), `-1` for none.
fn timeout_ms(limit: Option<Duration>) -> i32 {
    match limit {
        None => -1,
        Some(d) => d.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32,
    }
}
