//! The chapter-5 loop: timers and a few readable fds, one turn at a time.
//!
//! (The file is `looop.rs` because `loop` is a Rust keyword.)
//!
//! A turn follows libuv's `uv_run` (≥ 1.45), with the phases this chapter does not have yet left
//! out:
//!
//! ```text
//! before the first turn: update time, run timers
//! each turn:             compute timeout → poll (update time, run I/O callbacks)
//!                        → update time → run timers
//! ```
//!
//! Chapter 7 adds the pending, idle, prepare, check and closing phases around the same skeleton.

use super::heap::TimerHeap;
use super::io::Watcher;
use super::timeout::poll_timeout_ms;
use super::timers::TimerHandle;
use super::{TimerId, Trace};
use std::collections::HashMap;
use std::io;
use std::time::Instant;

/// The observer [`Loop::set_trace`] installs.
type TraceFn = Box<dyn FnMut(&Trace)>;

// ANCHOR: struct
/// An event loop with timers (`set_timeout`, `set_interval`, `clear_timeout`) and readable-fd
/// watchers. Every callback gets `&mut Loop`, so it can start and clear timers, its own
/// included, and watch or unwatch fds.
pub struct Loop {
    /// The loop's idea of "now", read from the monotonic clock once per phase
    /// ([`update_time`](Self::update_time)), not on every call: deadlines computed in one turn
    /// share one base, and reading the clock costs a little each time.
    pub(super) now: Instant,
    /// The pending timers' deadlines, nearest on top. Each value names its timer in `timers`.
    pub(super) heap: TimerHeap<TimerId>,
    /// Every active timer: its current heap entry, its repeat, its callback.
    pub(super) timers: HashMap<TimerId, TimerHandle>,
    /// Watched fds, indexed by [`WatchId`](super::WatchId); a slot is `None` once unwatched and
    /// is never reused, so an id cannot come to name another fd.
    pub(super) watchers: Vec<Option<Watcher>>,
    /// How many fds are watched (the `Some` slots of `watchers`).
    pub(super) watching: usize,
    /// Set by [`stop`](Self::stop): leave `run` after the current turn.
    pub(super) stop: bool,
    /// Turns completed, for the curious.
    pub(super) turns: u64,
    /// Called after each poll, if set, with what the poll did (the program prints it).
    pub(super) trace: Option<TraceFn>,
}
// ANCHOR_END: struct

impl Default for Loop {
    fn default() -> Self {
        Self::new()
    }
}

impl Loop {
    /// A loop with nothing to do; its time is the current time.
    pub fn new() -> Loop {
        Loop {
            now: Instant::now(),
            heap: TimerHeap::new(),
            timers: HashMap::new(),
            watchers: Vec::new(),
            watching: 0,
            stop: false,
            turns: 0,
            trace: None,
        }
    }

    // ANCHOR: time
    /// The loop's cached time: when the current phase began, not the current instant. Deadlines
    /// are computed from it, as libuv's `uv_now` is.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Reads the monotonic clock into the cached time (libuv's `uv_update_time`). The loop does
    /// this itself after each poll; a callback that has blocked for a while may call it so that
    /// the timers it starts count from the real time.
    pub fn update_time(&mut self) {
        self.now = Instant::now();
    }
    // ANCHOR_END: time

    /// Asks [`run`](Self::run) to return after the current turn, like `uv_stop`.
    pub fn stop(&mut self) {
        self.stop = true;
    }

    /// Whether anything would keep the loop running: an active timer or a watched fd.
    pub fn is_alive(&self) -> bool {
        !self.timers.is_empty() || self.watching > 0
    }

    /// How many turns [`run`](Self::run) has completed.
    pub fn turns(&self) -> u64 {
        self.turns
    }

    /// Calls `trace` after every poll with what it did: the timeout it was given, how long it
    /// slept, how many fds were ready.
    pub fn set_trace(&mut self, trace: impl FnMut(&Trace) + 'static) {
        self.trace = Some(Box::new(trace));
    }

    // ANCHOR: run
    /// Runs until nothing is left to do (no timer, no watched fd), [`stop`](Self::stop) is
    /// called, or Ctrl-C arrives (`sys::signal::stop_requested`).
    ///
    /// # Errors
    ///
    /// An error of `poll(2)` other than `EINTR` (see [`poll_io`](Self::poll_io)).
    pub fn run(&mut self) -> io::Result<()> {
        self.stop = false;
        // Like UV_RUN_DEFAULT: timers already due run before the first poll.
        self.update_time();
        self.run_timers();
        while self.is_alive() && !self.stop && !crate::sys::signal::stop_requested() {
            let timeout = poll_timeout_ms(self.now, self.heap.next_deadline());
            self.poll_io(timeout)?;
            self.update_time();
            self.run_timers();
            self.turns += 1;
        }
        Ok(())
    }
    // ANCHOR_END: run
}
