//! One connection's state, and the table of connections a worker holds.

use super::config::Limits;
use super::pipeline::{Phase, Requests};
use super::timeouts::Deadlines;
use super::write_queue::WriteQueue;
use crate::ch06_pollers::Interest;
use crate::ch07_phases::Handle;
use std::time::Instant;

/// Names a connection in its worker's [`Conns`]; the callbacks of its handles carry it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnId(pub u32);

// ANCHOR: conn
/// Everything a worker keeps for one connection. An idle keep-alive connection owns no buffer:
/// `input` and `queue` are empty `Vec`s until a request arrives in pieces or a response does
/// not fit in the kernel's send buffer.
#[derive(Debug)]
pub struct Conn {
    /// The I/O watcher that owns the socket.
    pub io: Handle,
    /// The timer of the idle and header timeouts.
    pub timer: Handle,
    /// The timer of a `/delay` in progress.
    pub delay_timer: Option<Handle>,
    /// Bytes received but not used yet: the start of an incomplete request, or requests
    /// pipelined behind a `/delay`.
    pub input: Vec<u8>,
    /// Output the kernel has not taken yet.
    pub queue: WriteQueue,
    /// Where the connection is in its current request.
    pub requests: Requests,
    /// When its timeouts run out.
    pub deadlines: Deadlines,
    /// Reading is on (off above the high-water mark of `queue`).
    pub reading: bool,
    /// What the watcher asks the poller for now (`None`: stopped).
    pub interest: Option<Interest>,
    /// The client has shut down its sending side (a read returned 0).
    pub peer_closed: bool,
    /// Close once `queue` is empty: the last response said `Connection: close`.
    pub closing: bool,
}
// ANCHOR_END: conn

impl Conn {
    /// A new connection, at loop time `now`, reading.
    pub fn new(io: Handle, timer: Handle, now: Instant, limits: &Limits) -> Conn {
        Conn {
            io,
            timer,
            delay_timer: None,
            input: Vec::new(),
            queue: WriteQueue::new(),
            requests: Requests::default(),
            deadlines: Deadlines::new(now, limits),
            reading: true,
            interest: Some(Interest::READABLE),
            peer_closed: false,
            closing: false,
        }
    }

    /// Nothing in flight: between requests, nothing buffered either way, no timer of ours.
    pub fn is_idle(&self) -> bool {
        matches!(self.requests.phase, Phase::Head)
            && self.input.is_empty()
            && self.queue.is_empty()
            && self.delay_timer.is_none()
    }

    /// Waiting for a `/delay` timer.
    pub fn is_waiting(&self) -> bool {
        matches!(self.requests.phase, Phase::Waiting { .. })
    }
}

/// A worker's connections, in a slab: a freed slot is reused by the next connection.
#[derive(Debug, Default)]
pub struct Conns {
    slots: Vec<Option<Conn>>,
    free: Vec<u32>,
    live: usize,
}

impl Conns {
    /// Stores a connection and returns its id.
    pub fn insert(&mut self, conn: Conn) -> ConnId {
        self.live += 1;
        if let Some(index) = self.free.pop() {
            self.slots[index as usize] = Some(conn);
            ConnId(index)
        } else {
            let index = u32::try_from(self.slots.len()).expect("fewer than 2^32 connections");
            self.slots.push(Some(conn));
            ConnId(index)
        }
    }

    /// The connection `id`, if it is still open.
    pub fn get(&self, id: ConnId) -> Option<&Conn> {
        self.slots.get(id.0 as usize)?.as_ref()
    }

    /// The connection `id`, mutably.
    pub fn get_mut(&mut self, id: ConnId) -> Option<&mut Conn> {
        self.slots.get_mut(id.0 as usize)?.as_mut()
    }

    /// Takes the connection out; its id may be reused from now on.
    pub fn remove(&mut self, id: ConnId) -> Option<Conn> {
        let conn = self.slots.get_mut(id.0 as usize)?.take()?;
        self.free.push(id.0);
        self.live -= 1;
        Some(conn)
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether none is open.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The ids of every open connection.
    pub fn ids(&self) -> Vec<ConnId> {
        (0..self.slots.len() as u32)
            .map(ConnId)
            .filter(|&id| self.get(id).is_some())
            .collect()
    }
}
