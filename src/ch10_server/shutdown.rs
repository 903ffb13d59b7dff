//! Stopping a worker cleanly: Ctrl-C reaches worker 0's signal handle (chapter 9), which wakes
//! every other worker through its async handle. A worker then stops accepting, closes its idle
//! connections, lets the others finish the response they are on (each now says
//! `Connection: close`), and closes whatever is left when the grace period ends. When no
//! connection is left, it closes its last handles and its loop returns: nothing keeps it alive.
//! A second Ctrl-C closes everything at once.

use super::pipeline::Phase;
use super::settle;
use super::supervisor;
use super::worker::WorkerLoop;
use crate::ch07_phases::Handle;
use std::sync::atomic::Ordering;
use std::time::Duration;

// ANCHOR: on_stop_request
/// The worker's async handle fired: the main thread asks it to stop.
pub fn on_stop_request(lp: &mut WorkerLoop, _handle: Handle) {
    let presses = lp.data().control.stop_requests.load(Ordering::SeqCst);
    if presses == 0 {
        return;
    }
    if !lp.data().draining {
        begin_draining(lp);
    }
    if presses >= 2 {
        close_everything(lp);
    }
}

fn begin_draining(lp: &mut WorkerLoop) {
    let worker = lp.data();
    worker.draining = true;
    worker.listener = None;
    let grace = worker.config.limits.shutdown_grace;
    if let Some(watch) = worker.listen_watch.take() {
        lp.close(watch, |_, _| {});
    }
    for id in lp.data().conns.ids() {
        let Some(conn) = lp.data().conns.get_mut(id) else {
            continue;
        };
        if conn.is_idle() {
            settle::close(lp, id);
        } else if matches!(conn.requests.phase, Phase::Head) && conn.input.is_empty() {
            // Only output is left: its response said keep-alive, but we close after it.
            conn.closing = true;
        }
    }
    let grace_timer = lp.timer_init();
    lp.timer_start(grace_timer, grace, Duration::ZERO, |lp, _| {
        close_everything(lp);
    });
    lp.data().grace_timer = Some(grace_timer);
    finish_if_drained(lp);
}
// ANCHOR_END: on_stop_request

/// Closes every connection, finished or not.
fn close_everything(lp: &mut WorkerLoop) {
    for id in lp.data().conns.ids() {
        settle::close(lp, id);
    }
    finish_if_drained(lp);
}

/// Once draining and the last connection is gone, closes the worker's own handles so that its
/// loop has nothing left to keep it alive.
pub fn finish_if_drained(lp: &mut WorkerLoop) {
    let worker = lp.data();
    if !worker.draining || !worker.conns.is_empty() {
        return;
    }
    let handles = [worker.stop_handle.take(), worker.grace_timer.take()];
    for handle in handles.into_iter().flatten() {
        lp.close(handle, |_, _| {});
    }
    supervisor::close_when_all_done(lp);
}
