//! What the busy-polling server remembers about one connection.

use std::os::fd::OwnedFd;

// ANCHOR: client
/// Stop reading from a client once this many bytes wait to be written back to it.
///
/// A client that sends without reading would otherwise make us buffer without limit. With the
/// cap, its bytes stay in the kernel's buffers instead, those fill up, and TCP flow control makes
/// the client's own `write` block: backpressure.
pub const PENDING_CAP: usize = 64 * 1024;

/// One connected client.
#[derive(Debug)]
pub struct Client {
    /// The number in the log: 1 for the first client accepted, 2 for the next, ….
    pub id: u64,
    /// The connection, in non-blocking mode. Dropping the client closes it.
    pub fd: OwnedFd,
    /// Bytes read but not yet written back: the kernel's send buffer was full. Written first on
    /// every turn; never more than [`PENDING_CAP`] plus one read.
    pub pending: Vec<u8>,
    /// The client sent end of file: echo what is pending, then close.
    pub eof: bool,
    /// We stopped reading because `pending` reached [`PENDING_CAP`] (remembered only to log the
    /// change once).
    pub paused: bool,
    /// Bytes echoed back so far.
    pub echoed: u64,
}
// ANCHOR_END: client

impl Client {
    /// A newly accepted client with nothing pending.
    pub fn new(id: u64, fd: OwnedFd) -> Client {
        Client {
            id,
            fd,
            pending: Vec::new(),
            eof: false,
            paused: false,
            echoed: 0,
        }
    }

    /// Whether the server should read from this client on this turn.
    pub fn wants_to_read(&self) -> bool {
        !self.eof && self.pending.len() < PENDING_CAP
    }

    /// Whether the connection is finished: the client closed and everything was echoed.
    pub fn is_done(&self) -> bool {
        self.eof && self.pending.is_empty()
    }
}
