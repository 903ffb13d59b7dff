//! One chat client as the server sees it: its socket, the bytes read but not yet a whole line,
//! and the bytes waiting to be written.
//!
//! Both buffers exist because the socket is non-blocking. A `read` returns whatever has arrived,
//! which may be half a line or three lines; a `write` takes only what fits in the kernel's send
//! buffer. Neither may wait, so what does not fit waits here, in user space, until `select` says
//! the socket can take more. How long the write queue may grow is the server's decision
//! ([`backpressure`](super::backpressure)); the `Conn` records when the client last took bytes
//! from it, which that decision needs. Chapter 4 reuses this type unchanged.

use crate::sys::net;
use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsFd, AsRawFd, OwnedFd, RawFd};
use std::time::{Duration, Instant};

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
    /// When the client last took bytes from `out`, or `out` last went from empty to not: how
    /// long it has been sitting on queued output without reading.
    last_progress: Instant,
}

/// What a read found.
#[derive(Debug, PartialEq, Eq)]
pub enum ReadOutcome {
    /// This many complete lines arrived (maybe none), each handed to the caller.
    Lines(usize),
    /// The client closed its side (`read` returned 0).
    Closed,
}

impl Conn {
    /// Wraps an accepted socket (already non-blocking).
    pub fn new(id: u64, fd: OwnedFd) -> Conn {
        Conn {
            id,
            fd,
            inbuf: Vec::new(),
            out: VecDeque::new(),
            last_progress: Instant::now(),
        }
    }

    /// The socket's fd number, for the fd sets.
    pub fn fd(&self) -> RawFd {
        self.fd.as_raw_fd()
    }

    // ANCHOR: read_lines
    /// Reads once (the socket was reported readable) and calls `each_line` with every complete
    /// line (without `\n`, `\r` trimmed).
    ///
    /// `WouldBlock` counts as "no lines": readiness can be stale. A line longer than
    /// [`MAX_LINE`] is an `InvalidData` error.
    pub fn read_lines(&mut self, each_line: impl FnMut(&[u8])) -> io::Result<ReadOutcome> {
        let mut buf = [0u8; READ_CHUNK];
        let n = match net::read(self.fd.as_fd(), &mut buf) {
            Ok(0) => return Ok(ReadOutcome::Closed),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => 0,
            Err(e) => return Err(e),
        };
        let lines = split_lines(&mut self.inbuf, &buf[..n], each_line);
        if self.inbuf.len() > MAX_LINE {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "line too long"));
        }
        Ok(ReadOutcome::Lines(lines))
    }
    // ANCHOR_END: read_lines

    // ANCHOR: queue
    /// Appends `bytes` to the write queue. Nothing here caps it: the server stops reading from
    /// everyone while a queue is long (see [`backpressure`](super::backpressure)).
    pub fn queue(&mut self, bytes: &[u8]) {
        if self.out.is_empty() {
            self.last_progress = Instant::now(); // the clock starts with something to read
        }
        self.out.extend(bytes);
    }

    /// How many bytes wait to be written. Non-zero means "put me in the write set".
    pub fn pending(&self) -> usize {
        self.out.len()
    }

    /// How long the client has had output queued without taking any of it.
    pub fn idle_for(&self, now: Instant) -> Duration {
        now.saturating_duration_since(self.last_progress)
    }

    /// Writes as much of the queue as the socket takes, stopping at `EAGAIN`.
    pub fn flush(&mut self) -> io::Result<()> {
        while !self.out.is_empty() {
            let (front, _) = self.out.as_slices();
            match net::write(self.fd.as_fd(), front) {
                Ok(n) => {
                    self.out.drain(..n);
                    self.last_progress = Instant::now();
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }
    // ANCHOR_END: queue
}

// ANCHOR: split_lines
/// Appends `arrived` to `inbuf` and calls `each_line` with every line it completes (without
/// `\n`, and without the `\r` of a `\r\n`), in order. What is left in `inbuf` is the start of
/// the next line. Returns how many lines there were.
///
/// The lines are handed out as slices of `inbuf` and removed in one `drain` at the end: a read
/// full of short lines costs one pass over the bytes and one move of the remainder, not an
/// allocation and a move of everything behind it for every line.
pub fn split_lines(inbuf: &mut Vec<u8>, arrived: &[u8], mut each_line: impl FnMut(&[u8])) -> usize {
    // Only the new bytes can hold a '\n': the old ones were searched when they arrived.
    let mut search_from = inbuf.len();
    inbuf.extend_from_slice(arrived);
    let mut line_start = 0;
    let mut lines = 0;
    while let Some(i) = inbuf[search_from..].iter().position(|&b| b == b'\n') {
        let end = search_from + i;
        let line = &inbuf[line_start..end];
        each_line(line.strip_suffix(b"\r").unwrap_or(line));
        lines += 1;
        line_start = end + 1;
        search_from = line_start;
    }
    inbuf.drain(..line_start);
    lines
}
// ANCHOR_END: split_lines

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

    /// Reads once and collects the lines.
    fn read(conn: &mut Conn) -> io::Result<(ReadOutcome, Vec<Vec<u8>>)> {
        let mut lines = Vec::new();
        let outcome = conn.read_lines(|line| lines.push(line.to_vec()))?;
        Ok((outcome, lines))
    }

    #[test]
    fn lines_split_across_reads_are_joined() {
        let (mut conn, mut peer) = pair();
        assert_eq!(read(&mut conn).unwrap(), (ReadOutcome::Lines(0), vec![]));
        peer.write_all(b"hel").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(read(&mut conn).unwrap(), (ReadOutcome::Lines(0), vec![]));
        peer.write_all(b"lo\r\nsecond\nthi").unwrap();
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(
            read(&mut conn).unwrap(),
            (
                ReadOutcome::Lines(2),
                vec![b"hello".to_vec(), b"second".to_vec()]
            )
        );
        drop(peer);
        std::thread::sleep(Duration::from_millis(20));
        assert_eq!(read(&mut conn).unwrap().0, ReadOutcome::Closed);
    }

    #[test]
    fn split_lines_keeps_empty_lines_and_the_unfinished_tail() {
        let mut inbuf = b"par".to_vec();
        let mut got = Vec::new();
        let n = split_lines(&mut inbuf, b"tial\n\n\r\nx\r\ntail", |l| {
            got.push(l.to_vec())
        });
        assert_eq!(n, 4);
        assert_eq!(got, [&b"partial"[..], b"", b"", b"x"]);
        assert_eq!(inbuf, b"tail");
        assert_eq!(split_lines(&mut inbuf, b"", |_| panic!("no line")), 0);
        assert_eq!(inbuf, b"tail");
    }

    #[test]
    fn an_endless_line_is_an_error() {
        let (mut conn, mut peer) = pair();
        peer.write_all(&[b'a'; MAX_LINE + 10]).unwrap();
        let mut result = Ok((ReadOutcome::Lines(0), vec![]));
        for _ in 0..100 {
            result = read(&mut conn);
            if result.is_err() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(result.unwrap_err().kind(), io::ErrorKind::InvalidData);
    }

    #[test]
    fn the_queue_flushes_in_order() {
        let (mut conn, mut peer) = pair();
        conn.queue(b"one\n");
        conn.queue(b"two\n");
        assert_eq!(conn.pending(), 8);
        conn.flush().unwrap();
        assert_eq!(conn.pending(), 0);
        let mut got = [0u8; 8];
        peer.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"one\ntwo\n");
    }

    #[test]
    fn flushing_to_a_peer_that_never_reads_stops_at_eagain_and_the_idle_clock_runs() {
        let (mut conn, _peer) = pair();
        while conn.pending() < 32 << 20 {
            conn.queue(&[b'x'; 65536]);
            conn.flush().unwrap();
        }
        assert!(conn.pending() > 0, "the kernel buffers cannot hold 32 MiB");
        let stuck_since = Instant::now();
        conn.flush().unwrap(); // takes nothing: EAGAIN
        assert!(conn.idle_for(stuck_since + Duration::from_secs(7)) >= Duration::from_secs(6));
    }
}
