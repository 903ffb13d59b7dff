//! A connection's output queue, and the watermarks that turn its reading off and on.
//!
//! The server writes a batch of responses at once; whatever the kernel does not take (its send
//! buffer is full because the client reads slowly, or not at all) waits here until the socket
//! is writable again. Unbounded, that queue is how one client that sends but never reads eats a
//! server's memory: every request it sends adds a response nobody takes. So above a high-water
//! mark the server stops *reading* from that connection: no new requests, no new responses, and
//! the client's own sends block once the kernel's buffers between us fill. Below a low-water
//! mark it reads again. Node's streams (`highWaterMark`, `'drain'`) and Redis's output buffer
//! limits are the same idea.

use super::config::Watermarks;
use crate::sys::net;
use std::io;
use std::os::fd::BorrowedFd;

/// Bytes waiting to be written to one socket, oldest first.
#[derive(Debug, Default)]
pub struct WriteQueue {
    /// The bytes; those before `start` are already written.
    buf: Vec<u8>,
    /// How much of `buf` is written.
    start: usize,
}

impl WriteQueue {
    /// An empty queue (it allocates nothing until something is queued).
    pub fn new() -> WriteQueue {
        WriteQueue::default()
    }

    /// How many bytes are waiting.
    pub fn len(&self) -> usize {
        self.buf.len() - self.start
    }

    /// Whether nothing is waiting.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Queues `bytes` behind what is waiting.
    pub fn push(&mut self, bytes: &[u8]) {
        if self.start > 0 && self.start >= self.buf.len() / 2 {
            // Half of the buffer is already written: move the rest to the front rather than
            // let the buffer grow at its end for ever.
            self.buf.drain(..self.start);
            self.start = 0;
        }
        self.buf.extend_from_slice(bytes);
    }

    // ANCHOR: flush
    /// Writes as much as the kernel takes. `Ok(true)` when the queue is empty, `Ok(false)` when
    /// the socket's buffer is full (wait until it is writable); errors other than `EAGAIN`
    /// (`EPIPE`, `ECONNRESET`: the client is gone) are returned.
    pub fn flush(&mut self, fd: BorrowedFd<'_>) -> io::Result<bool> {
        while !self.is_empty() {
            match net::send(fd, &self.buf[self.start..]) {
                Ok(n) => self.start += n,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(false),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        self.release();
        Ok(true)
    }
    // ANCHOR_END: flush

    /// Empties the queue and gives its memory back: an idle connection holds no buffer.
    pub fn release(&mut self) {
        self.buf = Vec::new();
        self.start = 0;
    }

    /// The bytes the queue holds in memory (its capacity), for the memory tests.
    pub fn capacity(&self) -> usize {
        self.buf.capacity()
    }
}

// ANCHOR: should_read
/// Whether a connection should be reading, given how many bytes wait in its output queue and
/// whether it is reading now: stop above the high-water mark, start again at or below the
/// low-water mark, and in between keep doing what it does (hysteresis).
pub fn should_read(queued: usize, reading: bool, marks: Watermarks) -> bool {
    if reading {
        queued <= marks.high
    } else {
        queued <= marks.low
    }
}
// ANCHOR_END: should_read

#[cfg(test)]
mod tests {
    use super::*;

    const MARKS: Watermarks = Watermarks { high: 100, low: 10 };

    #[test]
    fn reading_stops_above_high_and_resumes_at_low() {
        assert!(should_read(100, true, MARKS));
        assert!(!should_read(101, true, MARKS));
        assert!(!should_read(50, false, MARKS), "in between: stay stopped");
        assert!(should_read(50, true, MARKS), "in between: keep reading");
        assert!(should_read(10, false, MARKS));
    }

    #[test]
    fn the_queue_compacts_instead_of_growing() {
        let mut q = WriteQueue::new();
        q.push(&[1; 100]);
        q.start = 60;
        q.push(&[2; 10]);
        assert_eq!(q.len(), 50);
        assert_eq!(q.start, 0);
        assert_eq!(&q.buf[40..], &[2; 10]);
    }
}
