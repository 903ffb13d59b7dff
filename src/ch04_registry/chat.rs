//! Chapter 3's chat server, rewritten on the callback registry: same protocol, same logs, same
//! tests, but no loop of its own. The listener and each client are registrations; what used to
//! be the body of the select loop is now their callbacks.
//!
//! The callbacks share the chat room through `Rc<RefCell<Room>>`: each callback owns a clone of
//! the `Rc`, and borrows the room only while it runs. Nothing else ever borrows it, because the
//! loop calls one callback at a time, so the `RefCell` never sees two borrows at once.

use super::registry::Loop;
use super::token::{Event, Interest, Token};
use crate::ch03_select::chat::{Summary, refusal};
use crate::ch03_select::conn::{Conn, ReadOutcome};
use crate::sys::net;
use crate::text::counted;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};
use std::rc::Rc;

/// The state the callbacks share.
pub struct Room {
    /// The port the listener is bound to.
    port: u16,
    /// Every client, by its registration's token. The `Conn` owns the socket.
    clients: BTreeMap<Token, Conn>,
    /// The id the next client gets.
    next_id: u64,
    /// The cap on each write queue, in bytes.
    max_queue: usize,
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
/// Registers the chat server's listener on `lp`. Returns the shared room, to read the summary
/// after the loop stops.
pub fn serve(lp: &mut Loop, listener: OwnedFd, max_queue: usize) -> io::Result<Rc<RefCell<Room>>> {
    net::set_nonblocking(listener.as_fd(), true)?;
    let room = Rc::new(RefCell::new(Room {
        port: net::local_port(listener.as_fd())?,
        clients: BTreeMap::new(),
        next_id: 1,
        max_queue,
        doomed: Vec::new(),
        summary: Summary::default(),
    }));
    let shared = room.clone();
    let fd = listener.as_raw_fd();
    // The callback owns the listener: it lives exactly as long as the registration.
    lp.on(fd, Interest::READABLE, move |lp, _event| {
        if let Err(e) = accept_all(lp, &listener, &shared) {
            println!("accept failed: {e}; stopping");
            lp.stop();
        }
    })?;
    Ok(room)
}
// ANCHOR_END: serve

// ANCHOR: accept
/// Accepts every waiting connection and registers a callback for each.
fn accept_all(lp: &mut Loop, listener: &OwnedFd, room: &Rc<RefCell<Room>>) -> io::Result<()> {
    loop {
        let (fd, peer) = match net::accept(listener.as_fd()) {
            Ok(conn) => conn,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(()),
            Err(e) if matches!(e.raw_os_error(), Some(libc::ECONNABORTED | libc::EINTR)) => {
                continue;
            }
            Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) => {
                println!("accept: {e}");
                return Ok(());
            }
            Err(e) => return Err(e),
        };
        // The registry refuses an fd that select cannot watch; so do we, politely.
        let shared = room.clone();
        let token = match lp.on(fd.as_raw_fd(), Interest::READABLE, move |lp, event| {
            on_client_event(lp, event, &shared)
        }) {
            Ok(token) => token,
            Err(too_large) => {
                let msg = refusal(too_large.fd);
                print!("refused fd {}: {msg}", too_large.fd);
                let _ = net::set_nonblocking(fd.as_fd(), true);
                let _ = net::write(fd.as_fd(), msg.as_bytes());
                room.borrow_mut().summary.refused += 1;
                continue; // `fd` is dropped: closed
            }
        };
        net::set_nonblocking(fd.as_fd(), true)?;
        let mut room = room.borrow_mut();
        let id = room.next_id;
        room.next_id += 1;
        room.summary.joined += 1;
        println!("client {id} joined from {peer} (fd {})", fd.as_raw_fd());
        let others = room.clients.len();
        room.broadcast(lp, token, format!("* client {id} joined\n").as_bytes());
        let mut conn = Conn::new(id, fd);
        let others = counted(others, "other", "others");
        let hello = format!("* you are client {id}; {others} here\n");
        conn.queue(hello.as_bytes(), room.max_queue)
            .expect("an empty queue has room");
        room.clients.insert(token, conn);
        lp.set_interest(token, Interest::BOTH);
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
    /// Reads from one client and broadcasts each complete line.
    fn on_readable(&mut self, lp: &mut Loop, token: Token) {
        let Some(client) = self.clients.get_mut(&token) else {
            return;
        };
        let id = client.id;
        match client.read_lines() {
            Ok(ReadOutcome::Lines(lines)) => {
                for line in lines {
                    self.summary.lines += 1;
                    let mut msg = format!("client {id}: ").into_bytes();
                    msg.extend_from_slice(&line);
                    msg.push(b'\n');
                    self.broadcast(lp, token, &msg);
                }
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
        match client.flush() {
            Ok(()) if client.pending() == 0 => {
                lp.set_interest(token, Interest::READABLE);
            }
            Ok(()) => {}
            Err(e) => self.doomed.push((token, format!("dropped: {e}"))),
        }
    }

    /// Queues `msg` for every client but `from`, and asks to hear when each can be written.
    fn broadcast(&mut self, lp: &mut Loop, from: Token, msg: &[u8]) {
        for (&token, client) in self.clients.iter_mut().filter(|(t, _)| **t != from) {
            match client.queue(msg, self.max_queue) {
                Ok(()) => {
                    lp.set_interest(token, Interest::BOTH);
                }
                Err(full) => self.doomed.push((token, format!("dropped: {full}"))),
            }
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
            let id = client.id;
            drop(client);
            self.broadcast(lp, token, format!("* client {id} left\n").as_bytes());
        }
    }
}
// ANCHOR_END: client
