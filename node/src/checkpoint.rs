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
use crate::plugins::{self, MicrotaskQueues, Thrown};
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
    let drain_with = plugins::active().drain;
    enter(node, |ctx, hooks| {
        drain_with(&mut EngineQueues { ctx, hooks })
    });
    trace::finish(node, trace::What::Microtasks, started);
}

/// Node's `processTicksAndRejections`: every nextTick, then every promise job, and again while
/// either has work; then the promises rejected with no handler, which may queue more.
pub fn drain(q: &mut dyn MicrotaskQueues) {
    loop {
        if q.tick_scheduled() && q.run_ticks().is_err() {
            return; // the rest of the ticks wait for the next drain
        }
        while q.run_job() {
            if q.exiting() {
                return;
            }
        }
        let mut ran = false;
        if q.rejection_to_warn() {
            match q.process_rejections() {
                Ok(r) => ran = r,
                Err(Thrown) => return,
            }
        }
        if q.exiting() || (!q.tick_scheduled() && !ran) {
            return;
        }
    }
}
// ANCHOR_END: checkpoint

/// The queues of the running engine.
struct EngineQueues<'a, 'js> {
    ctx: Ctx<'js>,
    hooks: &'a Hooks,
}

impl MicrotaskQueues for EngineQueues<'_, '_> {
    fn tick_scheduled(&self) -> bool {
        TICK_SCHEDULED.get()
    }

    fn run_ticks(&mut self) -> Result<(), Thrown> {
        let ran = Hooks::get(&self.ctx, &self.hooks.run_ticks).and_then(|f| f.call::<_, ()>(()));
        ran.map_err(|error| {
            report(&self.ctx, self.hooks, error);
            Thrown
        })
    }

    fn run_job(&mut self) -> bool {
        self.ctx.execute_pending_job()
    }

    fn rejection_to_warn(&self) -> bool {
        REJECTION_TO_WARN.get()
    }

    fn process_rejections(&mut self) -> Result<bool, Thrown> {
        let ran = Hooks::get(&self.ctx, &self.hooks.process_rejections)
            .and_then(|f| f.call::<_, bool>(()));
        ran.map_err(|error| {
            report(&self.ctx, self.hooks, error);
            Thrown
        })
    }

    fn exiting(&self) -> bool {
        exiting().is_some()
    }
}
