//! The second step of every callback of a connection: close it if it is done, start the timers
//! the first step asked for, and change what the poller watches only if it must.

use super::accept;
use super::conn::ConnId;
use super::delay::start_delay;
use super::shutdown;
use super::timeouts::until;
use super::worker::WorkerLoop;
use super::write_queue::should_read;
use crate::ch06_pollers::Interest;
use std::time::{Duration, Instant};

/// What the I/O step leaves for the settling step.
#[derive(Debug, Default)]
pub struct After {
    /// The socket failed (`ECONNRESET`, `EPIPE`): close at once.
    pub failed: bool,
    /// A `/delay` asks for a timer of this length.
    pub delay: Option<Duration>,
    /// The connection's timer must fire earlier, at this instant (a head started arriving).
    pub move_timer: Option<Instant>,
}

// ANCHOR: settle
/// The second step of every callback: close the connection if it is done, start the timers the
/// I/O step asked for, and change what the poller watches only if it must.
pub fn settle(lp: &mut WorkerLoop, id: ConnId, after: After) {
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
