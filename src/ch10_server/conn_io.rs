//! A connection's I/O: read, answer every complete request, write the batch, and tell the
//! poller what the connection needs next. Every callback of a connection's handles lands here.
//!
//! Each callback works in two steps. First, with the socket and the worker's state borrowed
//! from the loop, it does the I/O and the HTTP (`read_and_serve`). Then, with the loop back, it
//! *settles* the connection (`settle`): close it, start a timer, or change what the poller
//! watches for, each only when something changed. In the common case (a request in, a response
//! out, the kernel took it all) settling does nothing: no system call besides the `read` and
//! the `write`.

use super::accept;
use super::config::Tuning;
use super::conn::{Conn, ConnId};
use super::pipeline::{Next, Output, Phase, Served, finish_delay, serve};
use super::response::{Persistence, Status, write_response};
use super::shutdown;
use super::timeouts::{Expiry, until};
use super::worker::{READ_SIZE, Worker, WorkerLoop};
use super::write_queue::{WriteQueue, should_read};
use crate::ch06_pollers::{Event, Interest};
use crate::sys::net;
use std::io;
use std::os::fd::BorrowedFd;
use std::time::{Duration, Instant};

/// What the I/O step leaves for the settling step.
#[derive(Debug, Default)]
struct After {
    /// The socket failed (`ECONNRESET`, `EPIPE`): close at once.
    failed: bool,
    /// A `/delay` asks for a timer of this length.
    delay: Option<Duration>,
    /// The connection's timer must fire earlier, at this instant (a head started arriving).
    move_timer: Option<Instant>,
}

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
fn keep_unused(input: &mut Vec<u8>, served: Served) {
    if served.next == Next::Close || served.used == input.len() {
        *input = Vec::new();
    } else {
        input.drain(..served.used);
    }
}

/// `EAGAIN` (nothing more to read now) or `EINTR`: not an error of the connection.
fn would_block(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}

/// Records what `serve` asked for, and moves the header clock.
fn note(
    conn: &mut Conn,
    served: Served,
    now: Instant,
    limits: &super::config::Limits,
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

// ANCHOR: send
/// Sends the batch of responses in `buf`: in one `write` straight from the worker's buffer when
/// nothing is queued before it; whatever the kernel does not take joins the connection's queue.
fn send(
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
fn write_or_queue(fd: BorrowedFd<'_>, queue: &mut WriteQueue, bytes: &[u8]) -> io::Result<()> {
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
fn write_queued(lp: &mut WorkerLoop, id: ConnId) -> bool {
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

// ANCHOR: settle
/// The second step of every callback: close the connection if it is done, start the timers the
/// I/O step asked for, and change what the poller watches only if it must.
fn settle(lp: &mut WorkerLoop, id: ConnId, after: After) {
    if after.failed {
        close(lp, id);
        return;
    }
    let now = lp.now();
    let worker = lp.data();
    let marks = worker.config.watermarks;
    let Some(conn) = worker.conns.get_mut(id) else {
        return;
    };
    if conn.peer_closed && !conn.is_waiting() {
        conn.closing = true; // the client has said all it will say
    }
    if conn.closing && conn.queue.is_empty() {
        close(lp, id);
        return;
    }
    conn.reading = should_read(conn.queue.len(), conn.reading, marks);
    let read = conn.reading && !conn.closing && !conn.is_waiting();
    let write = !conn.queue.is_empty();
    let wanted = match (read, write) {
        (true, true) => Some(Interest::BOTH),
        (true, false) => Some(Interest::READABLE),
        (false, true) => Some(Interest::WRITABLE),
        (false, false) => None,
    };
    let (io, timer) = (conn.io, conn.timer);
    if wanted != conn.interest {
        conn.interest = wanted;
        let changed = match wanted {
            Some(interest) => lp.io_set_interest(io, interest).is_ok(),
            None => lp.io_stop(io),
        };
        if !changed {
            close(lp, id);
            return;
        }
    }
    if let Some(delay) = after.delay {
        start_delay(lp, id, delay);
    }
    if let Some(at) = after.move_timer {
        accept::arm_timer(lp, id, timer, until(now, at));
    }
}
// ANCHOR_END: settle

/// Closes a connection: its socket, its timers, its place in the table.
pub fn close(lp: &mut WorkerLoop, id: ConnId) {
    let Some(conn) = lp.data().conns.remove(id) else {
        return;
    };
    lp.close(conn.io, |_, _| {});
    lp.close(conn.timer, |_, _| {});
    if let Some(delay) = conn.delay_timer {
        lp.close(delay, |_, _| {});
    }
    accept::resume_accepting(lp);
    shutdown::finish_if_drained(lp);
}

fn start_delay(lp: &mut WorkerLoop, id: ConnId, delay: Duration) {
    let timer = lp.timer_init();
    lp.timer_start(timer, delay, Duration::ZERO, move |lp, _| {
        on_delay_done(lp, id)
    });
    match lp.data().conns.get_mut(id) {
        Some(conn) => conn.delay_timer = Some(timer),
        None => {
            lp.close(timer, |_, _| {});
        }
    }
}

/// A `/delay` timer fired: answer it, then the requests that were pipelined behind it.
fn on_delay_done(lp: &mut WorkerLoop, id: ConnId) {
    let now = lp.now();
    let Some(conn) = lp.data().conns.get_mut(id) else {
        return;
    };
    let (io, timer) = (conn.io, conn.delay_timer.take());
    if let Some(timer) = timer {
        lp.close(timer, |_, _| {});
    }
    let Some((fd, worker)) = lp.io_fd_with_data(io) else {
        return;
    };
    let Worker {
        conns,
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
        return;
    };
    let date = *date.get(now);
    let mut output = Output {
        buf: out,
        ends,
        date: &date,
        limits: &config.limits,
        draining: *draining,
    };
    stats.requests += 1;
    conn.deadlines.touch(now);
    if !finish_delay(&mut conn.requests, &mut output) {
        conn.closing = true;
    } else if !conn.input.is_empty() {
        let served = serve(&mut conn.requests, &conn.input, &mut output);
        keep_unused(&mut conn.input, served);
        stats.requests += u64::from(served.completed);
        note(conn, served, now, &config.limits, &mut after);
    }
    after.failed = send(fd, conn, output.buf, output.ends, config.tuning).is_err();
    settle(lp, id, after);
}

/// The connection's timer fired: see what has expired (see [`timeouts`](super::timeouts)).
pub fn on_timer(lp: &mut WorkerLoop, id: ConnId) {
    let now = lp.now();
    let worker = lp.data();
    let limits = worker.config.limits;
    let Some(conn) = worker.conns.get_mut(id) else {
        return;
    };
    let busy = conn.is_waiting() || conn.delay_timer.is_some();
    match conn.deadlines.expire(now, busy, &limits) {
        Expiry::NotYet(at) => {
            let timer = conn.timer;
            accept::arm_timer(lp, id, timer, until(now, at));
        }
        Expiry::Idle => close(lp, id),
        Expiry::SlowHead => answer_and_close(lp, id, Status::RequestTimeout),
    }
}

/// Sends an error response on its own (not in answer to bytes just read) and closes after it.
fn answer_and_close(lp: &mut WorkerLoop, id: ConnId, status: Status) {
    let lp_now = lp.now();
    let Some(io) = lp.data().conns.get(id).map(|c| c.io) else {
        return;
    };
    let Some((fd, worker)) = lp.io_fd_with_data(io) else {
        return;
    };
    let date = *worker.date.get(lp_now);
    let Some(conn) = worker.conns.get_mut(id) else {
        return;
    };
    let mut response = Vec::new();
    write_response(
        &mut response,
        status,
        status.reason_body(),
        false,
        Persistence::Close,
        &date,
    );
    conn.input = Vec::new();
    conn.closing = true;
    conn.deadlines.head_complete();
    let failed = if conn.queue.is_empty() {
        write_or_queue(fd, &mut conn.queue, &response).is_err()
    } else {
        conn.queue.push(&response);
        conn.queue.flush(fd).is_err()
    };
    settle(
        lp,
        id,
        After {
            failed,
            ..After::default()
        },
    );
}
