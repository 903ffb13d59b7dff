//! The microtask checkpoint: what runs after every callback of the loop.
//!
//! Chapter 8's rule, now with a real engine: drain the nextTick queue, then the promise jobs,
//! and again while either has work; then report the promises rejected with no handler (which
//! may queue more), as Node's `processTicksAndRejections` does. The nextTick queue is an array
//! in `js/ticks.js`; the promise jobs are QuickJS's own job queue, so `await`, `.then` and
//! `queueMicrotask` interleave exactly as the engine queues them.
//!
//! Chapter 8's [`Node`] calls [`checkpoint`] at the end of its own drain
//! (`run_ticks_and_microtasks`), which runs after every callback: between two timers of one
//! timers phase, between two immediates, after each I/O and close callback.

use crate::env::{enter, jobs_pending};
use crate::hooks::Hooks;
use crate::scope::{exiting, report, take_failed};
use crate::trace;
use eventloops::ch08_ticks::{DrainPoint, Node};
use rquickjs::Ctx;
use std::cell::Cell;

thread_local! {
    /// The nextTick queue is not empty (Node's `tickInfo[kHasTickScheduled]`): set from
    /// JavaScript so the loop need not enter the engine to ask.
    static TICK_SCHEDULED: Cell<bool> = const { Cell::new(false) };
    /// A promise was rejected with no handler (Node's `tickInfo[kHasRejectionToWarn]`).
    static REJECTION_TO_WARN: Cell<bool> = const { Cell::new(false) };
}

/// `binding.setTickScheduled`.
pub(crate) fn set_tick_scheduled(on: bool) {
    TICK_SCHEDULED.set(on);
}

/// `binding.setRejectionToWarn`.
pub(crate) fn set_rejection_to_warn(on: bool) {
    REJECTION_TO_WARN.set(on);
}

/// Forgets the previous run's state.
pub(crate) fn reset() {
    TICK_SCHEDULED.set(false);
    REJECTION_TO_WARN.set(false);
}

// ANCHOR: checkpoint
/// Runs after every callback of the loop (chapter 8's `Node` calls it).
pub(crate) fn checkpoint(node: &mut Node, point: DrainPoint) {
    if exiting().is_some() {
        return;
    }
    if take_failed() && point == DrainPoint::BetweenCallbacks {
        // A timer or immediate threw: Node restarts its timer (or immediate) loop, so the next
        // one runs before the ticks the failing one queued.
        return;
    }
    if !TICK_SCHEDULED.get() && !REJECTION_TO_WARN.get() && !jobs_pending() {
        return; // the common case, decided without entering the engine
    }
    let started = trace::start(node);
    enter(node, |ctx, hooks| drain(&ctx, hooks));
    trace::finish(node, trace::What::Microtasks, started);
}

fn drain<'js>(ctx: &Ctx<'js>, hooks: &Hooks) {
    loop {
        // 1. Every nextTick, including those queued meanwhile.
        if TICK_SCHEDULED.get() {
            let ran = Hooks::get(ctx, &hooks.run_ticks).and_then(|f| f.call::<_, ()>(()));
            if let Err(error) = ran {
                report(ctx, hooks, error); // the rest of the queue waits for the next drain
                return;
            }
        }
        // 2. Every promise job, including those queued meanwhile.
        while ctx.execute_pending_job() {
            if exiting().is_some() {
                return;
            }
        }
        // 3. Promises rejected with no handler: 'unhandledRejection', or an uncaught exception.
        let mut ran = false;
        if REJECTION_TO_WARN.get() {
            match Hooks::get(ctx, &hooks.process_rejections).and_then(|f| f.call::<_, bool>(())) {
                Ok(r) => ran = r,
                Err(error) => {
                    report(ctx, hooks, error);
                    return;
                }
            }
        }
        if exiting().is_some() || (!TICK_SCHEDULED.get() && !ran) {
            return;
        }
    }
}
// ANCHOR_END: checkpoint
