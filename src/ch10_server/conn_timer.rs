//! The callback of a connection's timer: what has expired (see [`timeouts`](super::timeouts)),
//! and the `408` a slow head gets.

use super::accept;
use super::conn::ConnId;
use super::response::{Persistence, Status, write_response};
use super::send::write_or_queue;
use super::settle::{After, close, settle};
use super::timeouts::{Expiry, until};
use super::worker::WorkerLoop;

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
