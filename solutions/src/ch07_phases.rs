//! Chapter 7 exercises: the poll timeout rules, and one `run` that reads like `uv_run`.
//!
//! Read `book/src/ch07-phases.md` first. Check your work with `cargo test -p exercises-ch07`.

use std::time::Instant;

/// What the poll phase needs to know to decide how long it may block.
#[derive(Debug, Clone, Copy)]
pub struct LoopState {
    /// `stop()` was called.
    pub stopping: bool,
    /// A referenced active handle or an active request exists.
    pub has_active: bool,
    /// An idle handle is active (referenced or not).
    pub idle_active: bool,
    /// Pending callbacks are queued.
    pub pending: bool,
    /// Close callbacks are waiting.
    pub closing: bool,
    /// The loop time.
    pub now: Instant,
    /// The nearest timer's deadline, if any timer is started.
    pub next_deadline: Option<Instant>,
}

/// Exercise ch07.1: how many milliseconds the poll phase may block, by libuv's rules.
pub fn poll_timeout(state: &LoopState) -> i32 {
    if state.stopping || !state.has_active || state.idle_active || state.pending || state.closing {
        return 0;
    }
    let Some(deadline) = state.next_deadline else {
        return -1;
    };
    let left = deadline.saturating_duration_since(state.now);
    i32::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(i32::MAX)
}

/// How `run` runs, as libuv's `uv_run_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    /// Until nothing is alive or `stop` is called.
    Default,
    /// One turn, which may block in poll.
    Once,
    /// One turn that never blocks.
    NoWait,
}

/// The phases a loop offers; `run` calls them in the right order.
pub trait Phases {
    /// Whether anything keeps the loop alive.
    fn alive(&self) -> bool;
    /// Whether `stop` was called.
    fn stopping(&self) -> bool;
    /// Clears the stop flag (at the end of `run`).
    fn clear_stop(&mut self);
    /// Whether pending callbacks are queued.
    fn has_pending(&self) -> bool;
    /// Whether an idle handle is active.
    fn has_idle(&self) -> bool;
    /// Reads the clock into the loop time.
    fn update_time(&mut self);
    /// Runs the due timers.
    fn run_timers(&mut self);
    /// Runs the pending callbacks.
    fn run_pending(&mut self);
    /// Runs the idle handles.
    fn run_idle(&mut self);
    /// Runs the prepare handles.
    fn run_prepare(&mut self);
    /// The poll timeout by the rules of ch07.1.
    fn poll_timeout(&self) -> i32;
    /// Waits for I/O up to `timeout` ms and runs the I/O callbacks.
    fn poll(&mut self, timeout: i32);
    /// Runs the check handles.
    fn run_check(&mut self);
    /// Runs the close callbacks.
    fn run_closing(&mut self);
}

/// Exercise ch07.2: libuv ≥ 1.45's `uv_run`. Returns whether the loop is still alive.
pub fn run(lp: &mut impl Phases, mode: RunMode) -> bool {
    let mut alive = lp.alive();
    if !alive {
        lp.update_time();
    }
    if mode == RunMode::Default && alive && !lp.stopping() {
        lp.update_time();
        lp.run_timers();
    }
    while alive && !lp.stopping() {
        let can_sleep = !lp.has_pending() && !lp.has_idle();
        lp.run_pending();
        lp.run_idle();
        lp.run_prepare();
        let timeout = match mode {
            RunMode::Default => lp.poll_timeout(),
            RunMode::Once if can_sleep => lp.poll_timeout(),
            _ => 0,
        };
        lp.poll(timeout);
        for _ in 0..8 {
            if !lp.has_pending() {
                break;
            }
            lp.run_pending();
        }
        lp.run_check();
        lp.run_closing();
        lp.update_time();
        lp.run_timers();
        alive = lp.alive();
        if mode != RunMode::Default {
            break;
        }
    }
    lp.clear_stop();
    alive
}
