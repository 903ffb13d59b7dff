//! Chapter 3's chat server, rewritten on the callback registry: same protocol, same logs, same
//! tests, but no loop of its own. The listener and each client are registrations; what used to
//! be the body of the select loop is now their callbacks.
//!
//! The callbacks share the chat room through `Rc<RefCell<Room>>`: each callback owns a clone of
//! the `Rc`, and borrows the room only while it runs. Nothing else ever borrows it, because the
//! loop calls one callback at a time, so the `RefCell` never sees two borrows at once.

use super::registry::Loop;
use super::token::{Event, Interest, Token};
use crate::ch03_select::backpressure::{Backpressure, SEND_BUFFER, STALL_TIMEOUT, Valve, earliest};
use crate::ch03_select::chat::{Summary, refusal};
use crate::ch03_select::conn::{Conn, ReadOutcome};
use crate::sys::accept::{AcceptError, AcceptPause};
use crate::sys::{net, signal};
use crate::text::counted;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The state the callbacks share.
pub struct Room {
    /// The port the listener is bound to.
    port: u16,
    /// Every client, by its registration's token. The `Conn` owns the socket.
    clients: BTreeMap<Token, Conn>,
    /// The id the next client gets.
    next_id: u64,
    /// The listener's registration.
    listener: Option<Token>,
    /// The listening socket, shared with the listener's callback: `run` also accepts outside
    /// it (see `AcceptPause::listener_back`).
    listen_socket: Rc<OwnedFd>,
    /// Whether the listener is watched, or set aside while `accept` is out of fds.
    accepting: AcceptPause,
    /// Whether the room reads, decided from the write queues' lengths.
    valve: Backpressure,
    /// Clients to remove once the current step is done, with the reason.
    doomed: Vec<(Token, String)>,
    /// The counters.
    summary: Summary,
}

impl Room {
    /// The port the room's listener is bound to, to announce once it is registered.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// What the room counted so far.
    pub fn summary(&self) -> Summary {
        self.summary
    }
}

// ANCHOR: serve
/// Registers the chat server's listener on `lp`; the room stops reading while a client has
/// more than `max_queue` bytes waiting for it. Returns the shared room, for [`run`] and for the
/// summary after the loop stops.
pub fn serve(lp: &mut Loop, listener: OwnedFd, max_queue: usize) -> io::Result<Rc<RefCell<Room>>> {
    net::set_nonblocking(listener.as_fd(), true)?;
    let listener = Rc::new(listener);
    let room = Rc::new(RefCell::new(Room {
        port: net::local_port(listener.as_fd())?,
        clients: BTreeMap::new(),
        next_id: 1,
        listener: None,
        listen_socket: listener.clone(),
        accepting: AcceptPause::new(),
        valve: Backpressure::new(max_queue),
        doomed: Vec::new(),
        summary: Summary::default(),
    }));
    let shared = room.clone();
    let fd = listener.as_raw_fd();
    // The callback and the room share the listening socket: it is closed when both are gone.
    let token = lp.on(fd, Interest::READABLE, move |lp, _event| {
        if let Err(e) = accept_all(lp, &listener, &shared) {
            println!("accept failed: {e}; stopping");
            lp.stop();
        }
    })?;
    room.borrow_mut().listener = Some(token);
    Ok(room)
}
// ANCHOR_END: serve

// ANCHOR: run
/// Runs the chat until Ctrl-C: [`Loop::run`], plus the one thing the room needs between turns,
/// the clock. While reading or accepting is paused, each wait is capped, and after every turn
/// the room drops a receiver that stopped reading and tries a set-aside listener again.
/// (Chapter 5 gives the loop timers, which do this for any program.)
pub fn run(lp: &mut Loop, room: &Rc<RefCell<Room>>) -> io::Result<()> {
    while !lp.is_stopped() && !signal::stop_requested() {
        let limit = room.borrow().wait_limit();
        lp.turn(limit)?;
        room.borrow_mut().after_turn(lp);
        let back = room.borrow().accepting.listener_back();
        if back {
            // No wait for readiness that may never come: see `AcceptPause::listener_back`.
            let socket = room.borrow().listen_socket.clone();
            accept_all(lp, &socket, room)?;
        }
    }
    Ok(())
}
// ANCHOR_END: run

// ANCHOR: accept
/// Accepts every waiting connection and registers a callback for each. The errors are sorted
/// by [`AcceptError::classify`]; out of fds, the listener's interest becomes
/// [`Interest::NONE`] until a client leaves, so the loop sleeps instead of spinning.
fn accept_all(lp: &mut Loop, listener: &OwnedFd, room: &Rc<RefCell<Room>>) -> io::Result<()> {
    loop {
        let (fd, peer) = match net::accept(listener.as_fd()) {
            Ok(conn) => conn,
            Err(e) => match AcceptError::classify(&e) {
                AcceptError::QueueEmpty => {
                    if room.borrow_mut().accepting.caught_up() {
                        println!("accepting again: every waiting client is in");
                    }
                    return Ok(());
                }
                AcceptError::Retry => continue,
                AcceptError::Exhausted => {
                    room.borrow_mut().stop_accepting(lp, &e);
                    return Ok(());
                }
                AcceptError::Fatal => return Err(e),
            },
        };
        net::set_nonblocking(fd.as_fd(), true)?;
        net::set_send_buffer(fd.as_fd(), SEND_BUFFER)?; // small: progress shows often
        // The registry refuses an fd that select cannot watch; so do we, politely.
        let shared = room.clone();
        let token = match lp.on(fd.as_raw_fd(), Interest::READABLE, move |lp, event| {
            on_client_event(lp, event, &shared)
        }) {
            Ok(token) => token,
            Err(too_large) => {
                let msg = refusal(too_large.fd);
                print!("refused fd {}: {msg}", too_large.fd);
                let _ = net::write(fd.as_fd(), msg.as_bytes());
                room.borrow_mut().summary.refused += 1;
                continue; // `fd` is dropped: closed
            }
        };
        let mut room = room.borrow_mut();
        let id = room.next_id;
        room.next_id += 1;
        room.summary.joined += 1;
        println!("client {id} joined from {peer} (fd {})", fd.as_raw_fd());
        let others = room.clients.len();
        room.broadcast(lp, token, format!("* client {id} joined\n").as_bytes());
        room.clients.insert(token, Conn::new(id, fd));
        let others = counted(others, "other", "others");
        let hello = format!("* you are client {id}; {others} here\n");
        room.send(lp, token, hello.as_bytes());
        room.remove_doomed(lp);
    }
}
// ANCHOR_END: accept

// ANCHOR: client
/// A client's callback: read and broadcast, or write what is queued.
fn on_client_event(lp: &mut Loop, event: Event, room: &Rc<RefCell<Room>>) {
    let mut room = room.borrow_mut();
    if event.readable {
        room.on_readable(lp, event.token);
    }
    if event.writable {
        room.on_writable(lp, event.token);
    }
    room.remove_doomed(lp);
}

impl Room {
    /// What a client's registration should ask for: readable unless the room has stopped
    /// reading, writable only with output queued.
    fn interest_for(&self, client: &Conn) -> Interest {
        let read = if self.valve.is_paused() {
            Interest::NONE
        } else {
            Interest::READABLE
        };
        let write = if client.pending() > 0 {
            Interest::WRITABLE
        } else {
            Interest::NONE
        };
        read | write
    }

    /// Brings one client's registration up to date.
    fn refresh(&self, lp: &mut Loop, token: Token) {
        if let Some(client) = self.clients.get(&token) {
            lp.set_interest(token, self.interest_for(client));
        }
    }

    /// Reads from one client and broadcasts this read's complete lines as one message.
    fn on_readable(&mut self, lp: &mut Loop, token: Token) {
        let Some(client) = self.clients.get_mut(&token) else {
            return;
        };
        let prefix = format!("client {}: ", client.id);
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
                self.broadcast(lp, token, &relayed);
            }
            Ok(ReadOutcome::Closed) => self.doomed.push((token, "left".into())),
            Err(e) => self.doomed.push((token, format!("dropped: {e}"))),
        }
    }

    /// Writes what one client has queued; once the queue is empty, stops asking for writable.
    fn on_writable(&mut self, lp: &mut Loop, token: Token) {
        let Some(client) = self.clients.get_mut(&token) else {
            return;
        };
        let before = client.pending();
        let flushed = client.flush();
        let after = client.pending();
        self.queue_changed(lp, before, after);
        self.refresh(lp, token);
        if let Err(e) = flushed {
            self.doomed.push((token, format!("dropped: {e}")));
        }
    }

    /// Queues `msg` for every client but `from`.
    fn broadcast(&mut self, lp: &mut Loop, from: Token, msg: &[u8]) {
        let others: Vec<Token> = self
            .clients
            .keys()
            .copied()
            .filter(|&t| t != from)
            .collect();
        for token in others {
            self.send(lp, token, msg);
        }
    }

    /// Queues `msg` for one client, and asks to hear when it can be written.
    fn send(&mut self, lp: &mut Loop, token: Token, msg: &[u8]) {
        if let Some(client) = self.clients.get_mut(&token) {
            let before = client.pending();
            client.queue(msg);
            self.queue_changed(lp, before, before + msg.len());
            self.refresh(lp, token);
        }
    }

    /// Tells the valve that a queue changed length; when reading stops or starts again, every
    /// client's interest changes.
    fn queue_changed(&mut self, lp: &mut Loop, before: usize, after: usize) {
        let Some(change) = self.valve.queue_changed(before, after) else {
            return;
        };
        if change == Valve::Pause {
            self.summary.pauses += 1;
        }
        for (&token, client) in &self.clients {
            lp.set_interest(token, self.interest_for(client));
        }
    }

    /// Deregisters and closes the doomed clients, and tells the others.
    fn remove_doomed(&mut self, lp: &mut Loop) {
        while let Some((token, reason)) = self.doomed.pop() {
            let Some(client) = self.clients.remove(&token) else {
                continue;
            };
            if reason.starts_with("dropped") {
                self.summary.dropped += 1;
            }
            println!("client {} {reason} (fd {})", client.id, client.fd());
            // Deregister first, then close: the loop never holds an fd that is closed. If this
            // is the running callback's own token, the loop drops that callback when it returns.
            lp.off(token);
            self.queue_changed(lp, client.pending(), 0);
            let id = client.id;
            drop(client); // an fd is free: the listener may come back
            if self.accepting.fd_freed() {
                self.watch_listener(lp);
            }
            self.broadcast(lp, token, format!("* client {id} left\n").as_bytes());
        }
    }
}
// ANCHOR_END: client

// ANCHOR: pauses
impl Room {
    /// `accept` is out of fds: set the listener aside (log once per episode).
    fn stop_accepting(&mut self, lp: &mut Loop, err: &io::Error) {
        if self.accepting.exhausted(Instant::now()) {
            println!("accept: {err}; not accepting until a client leaves");
        }
        if let Some(listener) = self.listener {
            lp.set_interest(listener, Interest::NONE);
        }
    }

    /// Puts the listener back in the read set.
    fn watch_listener(&self, lp: &mut Loop) {
        if let Some(listener) = self.listener {
            lp.set_interest(listener, Interest::READABLE);
        }
    }

    /// The longest the next wait may be: for ever, unless something paused needs the clock.
    fn wait_limit(&self) -> Option<Duration> {
        earliest(
            self.valve.wait_limit(),
            self.accepting.wait_limit(Instant::now()),
        )
    }

    /// What needs the clock, once per turn: a receiver that holds the room paused and has taken
    /// nothing for [`STALL_TIMEOUT`] is dropped, and a listener set aside for a while is tried
    /// again.
    fn after_turn(&mut self, lp: &mut Loop) {
        let now = Instant::now();
        if self.valve.scan_due(now) {
            for (&token, client) in &self.clients {
                if self
                    .valve
                    .is_stalled(client.pending(), client.idle_for(now))
                {
                    let reason = format!(
                        "dropped: not reading ({} bytes queued, none taken for {} s)",
                        client.pending(),
                        STALL_TIMEOUT.as_secs()
                    );
                    self.doomed.push((token, reason));
                }
            }
            self.remove_doomed(lp);
        }
        if self.accepting.retry_due(now) {
            self.watch_listener(lp);
        }
    }
}
// ANCHOR_END: pauses
