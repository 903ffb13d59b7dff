//! Worker 0's second job: it runs on the main thread, holds the signal handles, wakes the other
//! workers on Ctrl-C, and keeps its loop alive until they have all finished.
//!
//! Why not a main thread of its own that only waits? With one worker the process then has a
//! single thread, and glibc skips, in every `read` and `write`, the bookkeeping a
//! multi-threaded process needs to make them cancellation points: a small cost, but one paid
//! twice per request.

use super::shutdown;
use super::worker::WorkerLoop;
use crate::ch07_phases::Handle;
use crate::ch09_threadpool::AsyncSender;
use std::sync::atomic::Ordering;

/// What worker 0 keeps to supervise the others.
#[derive(Debug, Default)]
pub struct Supervisor {
    /// How many other workers there are.
    pub others: usize,
    /// Wakes each of them.
    pub senders: Vec<AsyncSender>,
    /// The signal handles, and the async handle the others report their end through.
    pub handles: Vec<Handle>,
}

// ANCHOR: on_stop_signal
/// Ctrl-C (or `SIGTERM`) on worker 0's loop: count it, wake every other worker, and stop this
/// one the same way they stop.
pub fn on_stop_signal(lp: &mut WorkerLoop, handle: Handle, _signum: libc::c_int) {
    let worker = lp.data();
    let presses = worker.control.stop_requests.fetch_add(1, Ordering::SeqCst) + 1;
    if presses == 1 {
        println!(
            "stopping: no new connections; in-flight responses have {} ms to finish",
            worker.config.limits.shutdown_grace.as_millis()
        );
    } else {
        println!("stopping now");
    }
    if let Some(supervisor) = &worker.supervisor {
        for sender in &supervisor.senders {
            // Cannot fail while that worker runs; a finished worker needs no wake-up.
            let _ = sender.send();
        }
    }
    shutdown::on_stop_request(lp, handle);
}
// ANCHOR_END: on_stop_signal

/// Another worker has finished.
pub fn on_worker_finished(lp: &mut WorkerLoop, _handle: Handle) {
    close_when_all_done(lp);
}

/// Once worker 0 has drained and every other worker has finished, closes the signal handles and
/// the async handle: worker 0's loop then has nothing left and returns. (Not earlier: a signal
/// handle closed too soon would give a second Ctrl-C back its default action, killing the
/// process with in-flight responses.)
pub fn close_when_all_done(lp: &mut WorkerLoop) {
    let worker = lp.data();
    let Some(supervisor) = worker.supervisor.as_mut() else {
        return;
    };
    let others_done = worker.control.finished.load(Ordering::SeqCst) >= supervisor.others;
    let drained = worker.draining && worker.conns.is_empty();
    if others_done && drained {
        for handle in std::mem::take(&mut supervisor.handles) {
            lp.close(handle, |_, _| {});
        }
    }
}
