//! One chat client as the server sees it: its socket, the bytes read but not yet a whole line,
//! and the bytes waiting to be written.
//!
//! Both buffers exist because the socket is non-blocking. A `read` returns whatever has arrived,
//! which may be half a line or three lines; a `write` takes only what fits in the kernel's send
//! buffer. Neither may wait, so what does not fit waits here, in user space, until `select` says
//! the socket can take more. Chapter 4 reuses this type unchanged.

use crate::sys::net;
use std::collections::VecDeque;
use std::fmt;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};

/// The longest line a client may send; a longer one is a protocol error and drops the client,
/// so a client cannot make the server buffer without bound.
pub const MAX_LINE: usize = 16 * 1024;

/// How much one `read` asks for. One read per readiness keeps one chatty client from starving
/// the others: the rest of its data waits for the next turn.
const READ_CHUNK: usize = 4096;

/// A connected client.
pub struct Conn {
    /// The number the chat shows (`client 3`): counts up from 1 and is never reused, unlike fds.
    pub id: u64,
    /// The socket, non-blocking; closed when the `Conn` is dropped.
    fd: OwnedFd,
    /// Bytes read that do not yet end in `\n`.
    inbuf: Vec<u8>,
    /// Bytes waiting to be written, oldest first.
    out: VecDeque<u8>,
}

/// What a read found.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadOutcome {
    /// The complete lines (without `\n`, `\r` trimmed) that arrived; maybe none.
    Lines(Vec<Vec<u8>>),
    /// The client closed its side (`read` returned 0).
    Closed,
}

/// The error for a write queue that would grow past its cap: the client is not reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFull {
    /// The cap, in bytes.
    pub cap: usize,
}

impl fmt::Display for QueueFull {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "write queue over {} bytes: not reading", self.cap)
    }
}

impl Conn {
    /// Wraps an accepted socket (already non-blocking).
    pub fn new(id: u64, fd: OwnedFd) -> Conn {
        Conn {
            id,
            fd,
            inbuf: Vec::new(),
            out: VecDeque::new(),
        }
    }

    /// The socket's fd number, for the fd sets.
    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    // ANCHOR: read_lines
    /// Reads once (the socket was reported readable) and splits off every complete line.
    ///
    /// `WouldBlock` counts as "no lines": readiness can be stale. A line longer than
    /// [`MAX_LINE`] is an `InvalidData` error.
    pub fn read_lines(&mut self) -> io::Result<ReadOutcome> {
        let mut buf = [0u8; READ_CHUNK];
        let n = match net::read(self.fd.as_fd(), &mut buf) {
            Ok(0) => return Ok(ReadOutcome::Closed),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => 0,
            Err(e) => return Err(e),
        };
        self.inbuf.extend_from_slice(&buf[..n]);
        let mut lines = Vec::new();
        while let Some(end) = self.inbuf.iter().position(|&b| b == b'\n') {
            let mut line: Vec<u8> = self.inbuf.drain(..=end).collect();
            line.pop(); // the '\n'
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            lines.push(line);
        }
        if self.inbuf.len() > MAX_LINE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
        }
        Ok(ReadOutcome::Lines(lines))
    }
    // ANCHOR_END: read_lines

    // ANCHOR: queue
    /// Appends `bytes` to the write queue, unless that would make it longer than `cap`: a client
    /// that does not read must not make the server hold everyone's messages for it.
    pub fn queue(&mut self, bytes: &[u8], cap: usize) -> Result<(), QueueFull> {
        if self.out.len() + bytes.len() > cap {
            return Err(QueueFull { cap });
        }
        self.out.extend(bytes);
        Ok(())
    }

    /// How many bytes wait to be written. Non-zero means "put me in the write set".
    pub fn pending(&self) -> usize {
        self.out.len()
    }

    /// Writes as much of the queue as the socket takes, stopping at `EAGAIN`.
    pub fn flush(&mut self) -> io::Result<()> {
        while !self.out.is_empty() {
            let (front, _) = self.out.as_slices();
            match net::write(self.fd.as_fd(), front) {
                Ok(n) => drop(self.out.drain(..n)),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
    // ANCHOR_END: queue
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpStream;

    fn pair() -> (Conn, TcpStream) {
        let listener = net::listen_tcp(0).unwrap();
        let port = net::local_port(listener.as_fd()).unwrap();
        let peer = TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (fd, _) = net::accept(listener.as_fd()).unwrap();
        net::set_nonblocking(fd.as_fd(), true).unwrap();
        (Conn::new(1, fd), peer)
    }

    #[test]
    fn lines_split_across_reads_are_joined() {
        let (mut conn, mut peer) = pair();
        assert_eq!(conn.read_lines().unwrap(), ReadOutcome::Lines(vec![]));
        peer.write_all(b"hel").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(conn.read_lines().unwrap(), ReadOutcome::Lines(vec![]));
        peer.write_all(b"lo\r\nsecond\nthi").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let got = conn.read_lines().unwrap();
        assert_eq!(
            got,
            ReadOutcome::Lines(vec![b"hello".to_vec(), b"second".to_vec()])
        );
        drop(peer);
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert_eq!(conn.read_lines().unwrap(), ReadOutcome::Closed);
    }

    #[test]
    fn an_endless_line_is_an_error() {
        let (mut conn, mut peer) = pair();
        peer.write_all(&[b'a'; MAX_LINE + 10]).unwrap();
        let mut result = Ok(ReadOutcome::Lines(vec![]));
        for _ in 0..100 {
            result = conn.read_lines();
            if result.is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn the_queue_is_capped_and_flushes_in_order() {
        let (mut conn, mut peer) = pair();
        conn.queue(b"one\n", 8).unwrap();
        assert_eq!(conn.queue(b"two\n!", 8), Err(QueueFull { cap: 8 }));
        conn.queue(b"two\n", 8).unwrap();
        assert_eq!(conn.pending(), 8);
        conn.flush().unwrap();
        assert_eq!(conn.pending(), 0);
        let mut got = [0u8; 8];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"one\ntwo\n");
    }

    #[test]
    fn flushing_to_a_peer_that_never_reads_stops_at_eagain() {
        let (mut conn, _peer) = pair();
        let cap = 64 << 20;
        while conn.pending() < 32 << 20 {
            conn.queue(&[b'x'; 65536], cap).unwrap();
            conn.flush().unwrap();
        }
        assert!(conn.pending() > 0, "the kernel buffers cannot hold 32 MiB");
    }
}
