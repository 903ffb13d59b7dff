//! A connection's writing: the batch of responses goes out in one `send`, straight from the
//! worker's buffer; only what the kernel does not take waits in the connection's queue, and
//! only then does the poller hear about writability.

use super::config::Tuning;
use super::conn::{Conn, ConnId};
use super::conn_io::would_block;
use super::settle::{After, settle};
use super::worker::WorkerLoop;
use super::write_queue::WriteQueue;
use crate::sys::net;
use std::io;
use std::os::fd::BorrowedFd;

// ANCHOR: send
/// Sends the batch of responses in `buf`: in one `write` straight from the worker's buffer when
/// nothing is queued before it; whatever the kernel does not take joins the connection's queue.
pub fn send(
    fd: BorrowedFd<'_>,
    conn: &mut Conn,
    buf: &mut Vec<u8>,
    ends: &mut Vec<usize>,
    tuning: Tuning,
) -> io::Result<()> {
    let result = if buf.is_empty() {
        Ok(())
    } else if !conn.queue.is_empty() || !tuning.write_at_once {
        // Order: earlier bytes are still waiting, so these wait behind them. (Without
        // write-at-once, everything waits for the poller to say the socket is writable.)
        conn.queue.push(buf);
        if tuning.write_at_once {
            conn.queue.flush(fd).map(|_| ())
        } else {
            Ok(())
        }
    } else if tuning.batch_write {
        write_or_queue(fd, &mut conn.queue, buf)
    } else {
        write_one_by_one(fd, &mut conn.queue, buf, ends)
    };
    buf.clear();
    ends.clear();
    if !tuning.buffer_reuse {
        *buf = Vec::new();
    }
    result
}
// ANCHOR_END: send

/// One `write`; what the kernel does not take is queued.
pub fn write_or_queue(fd: BorrowedFd<'_>, queue: &mut WriteQueue, bytes: &[u8]) -> io::Result<()> {
    let n = match net::send(fd, bytes) {
        Ok(n) => n,
        Err(e) if would_block(&e) => 0,
        Err(e) => return Err(e),
    };
    if n < bytes.len() {
        queue.push(&bytes[n..]);
    }
    Ok(())
}

/// One `write` per response (`--without batch-write`), to measure what batching saves.
fn write_one_by_one(
    fd: BorrowedFd<'_>,
    queue: &mut WriteQueue,
    buf: &[u8],
    ends: &[usize],
) -> io::Result<()> {
    let mut start = 0;
    for end in ends.iter().copied().chain([buf.len()]) {
        if end <= start {
            continue;
        }
        let piece = &buf[start..end];
        let n = match net::send(fd, piece) {
            Ok(n) => n,
            Err(e) if would_block(&e) => 0,
            Err(e) => return Err(e),
        };
        if n < piece.len() {
            queue.push(&buf[start + n..]);
            return Ok(());
        }
        start = end;
    }
    Ok(())
}

/// The socket is writable: write what is queued. Returns whether the connection is still open.
pub fn write_queued(lp: &mut WorkerLoop, id: ConnId) -> bool {
    let now = lp.now();
    let Some(io) = lp.data().conns.get(id).map(|c| c.io) else {
        return false;
    };
    let Some((fd, worker)) = lp.io_fd_with_data(io) else {
        return false;
    };
    let Some(conn) = worker.conns.get_mut(id) else {
        return false;
    };
    let before = conn.queue.len();
    let failed = conn.queue.flush(fd).is_err();
    if conn.queue.len() < before {
        conn.deadlines.touch(now);
    }
    settle(
        lp,
        id,
        After {
            failed,
            ..After::default()
        },
    );
    lp.data().conns.get(id).is_some()
}
