//! A connection's reading: every callback of a connection's watcher lands here. Read once,
//! answer every complete request, send the batch, then settle the connection (see
//! [`settle`](super::settle)).
//!
//! Each callback works in two steps. First, with the socket and the worker's state borrowed
//! from the loop, it does the I/O and the HTTP (`read_and_serve_with`). Then, with the loop
//! back, it *settles* the connection: close it, start a timer, or change what the poller
//! watches for, each only when something changed. In the common case (a request in, a response
//! out, the kernel took it all) settling does nothing: no system call besides the `recv` and
//! the `send`.

use super::config::Limits;
use super::conn::{Conn, ConnId};
use super::pipeline::{Next, Output, Phase, Served, serve};
use super::send::{send, write_queued};
use super::settle::{After, settle};
use super::worker::{READ_SIZE, Worker, WorkerLoop};
use super::write_queue::should_read;
use crate::ch06_pollers::Event;
use crate::sys::net;
use std::io;
use std::os::fd::BorrowedFd;
use std::time::Instant;

// ANCHOR: on_event
/// The poller reported the connection's socket: first write what is queued (that may let
/// reading resume), then read.
pub fn on_event(lp: &mut WorkerLoop, id: ConnId, event: Event) {
    if event.writable && !write_queued(lp, id) {
        return; // closed
    }
    let still_reading = lp
        .data()
        .conns
        .get(id)
        .is_some_and(|c| c.interest.is_some_and(|i| i.readable));
    if event.readable && still_reading {
        read_and_serve(lp, id);
    }
}
// ANCHOR_END: on_event

/// Reads what the client sent and answers every complete request in it.
fn read_and_serve(lp: &mut WorkerLoop, id: ConnId) {
    let now = lp.now();
    let Some(io) = lp.data().conns.get(id).map(|c| c.io) else {
        return;
    };
    let Some((fd, worker)) = lp.io_fd_with_data(io) else {
        return;
    };
    let after = read_and_serve_with(fd, worker, id, now);
    settle(lp, id, after);
}

// ANCHOR: read_and_serve
fn read_and_serve_with(fd: BorrowedFd<'_>, worker: &mut Worker, id: ConnId, now: Instant) -> After {
    let Worker {
        conns,
        scratch,
        out,
        ends,
        date,
        config,
        draining,
        stats,
        ..
    } = worker;
    let mut after = After::default();
    let Some(conn) = conns.get_mut(id) else {
        return after;
    };
    let tuning = config.tuning;
    let date = *date.get(now);
    let mut output = Output {
        buf: out,
        ends,
        date: &date,
        limits: &config.limits,
        draining: *draining,
    };
    loop {
        // Most reads go to the worker's buffer; only a connection with an incomplete request
        // reads onto the end of its own.
        let into_scratch = conn.input.is_empty();
        let read = if into_scratch {
            if !tuning.buffer_reuse {
                *scratch = vec![0; READ_SIZE];
            }
            net::recv(fd, scratch)
        } else {
            read_onto(fd, &mut conn.input)
        };
        let n = match read {
            Ok(0) => {
                conn.peer_closed = true;
                break;
            }
            Ok(n) => n,
            Err(e) if would_block(&e) => break,
            Err(_) => {
                after.failed = true;
                break;
            }
        };
        conn.deadlines.touch(now);
        let served = if into_scratch {
            let served = serve(&mut conn.requests, &scratch[..n], &mut output);
            if served.next != Next::Close {
                conn.input.extend_from_slice(&scratch[served.used..n]);
            }
            served
        } else {
            let served = serve(&mut conn.requests, &conn.input, &mut output);
            keep_unused(&mut conn.input, served);
            served
        };
        stats.requests += u64::from(served.completed);
        note(conn, served, now, &config.limits, &mut after);
        if send(fd, conn, output.buf, output.ends, tuning).is_err() {
            after.failed = true;
            break;
        }
        let stop = served.next != Next::ReadMore
            || tuning.read_once
            || !should_read(conn.queue.len(), true, config.watermarks);
        if stop {
            break;
        }
    }
    after
}
// ANCHOR_END: read_and_serve

/// Reads onto the end of a connection's own buffer.
fn read_onto(fd: BorrowedFd<'_>, input: &mut Vec<u8>) -> io::Result<usize> {
    let old = input.len();
    input.resize(old + READ_SIZE.min(old.max(4096)), 0);
    let result = net::recv(fd, &mut input[old..]);
    input.truncate(old + *result.as_ref().unwrap_or(&0));
    result
}

/// Drops the bytes `serve` used from a connection's buffer (all of them if it is closing), and
/// gives the memory back once it is empty.
pub(super) fn keep_unused(input: &mut Vec<u8>, served: Served) {
    if served.next == Next::Close || served.used == input.len() {
        *input = Vec::new();
    } else {
        input.drain(..served.used);
    }
}

/// `EAGAIN` (nothing more to read now) or `EINTR`: not an error of the connection.
pub(super) fn would_block(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}

/// Records what `serve` asked for, and moves the header clock.
pub(super) fn note(
    conn: &mut Conn,
    served: Served,
    now: Instant,
    limits: &Limits,
    after: &mut After,
) {
    match served.next {
        Next::Close => conn.closing = true,
        Next::Delay(delay) => after.delay = Some(delay),
        Next::ReadMore => {}
    }
    let head_pending = matches!(conn.requests.phase, Phase::Head) && !conn.input.is_empty();
    if head_pending {
        if let Some(at) = conn
            .deadlines
            .head_pending(now, served.completed > 0, limits)
        {
            after.move_timer = Some(at);
        }
    } else {
        conn.deadlines.head_complete();
    }
}
