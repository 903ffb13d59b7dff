//! Chapter 5 exercises: the heart of the timers.
//!
//! 1. [`poll_timeout_ms`]: how long the loop may sleep, given the nearest deadline.
//! 2. [`fire`]: fire one timer: a timeout once, an interval re-armed *before* its callback.
//! 3. [`run_timers`]: the timers phase: every due timer, in order, none started during it.
//!
//! Everything else is written for you: [`Timers`] keeps a [`TimerHeap`] (from `src/`) and the
//! callbacks, and its clock `now` is a field you (and the tests) move by hand, so nothing here
//! depends on how fast the machine is. Unlike the loop in `src/`, `Timers` does not clamp a zero
//! delay to 1 ms (libuv does not either): a zero-delay timer is due at once.
//!
//! Check your work with `cargo test -p exercises-ch05`.

use eventloops::ch05_timers::{TimerHeap, TimerId, deadline_after};
use libc::c_int;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// A timer's callback. It gets the timers, so it can set and clear timers, its own included.
pub type Callback = Box<dyn FnMut(&mut Timers)>;

/// One active timer.
pub struct Timer {
    /// Its current entry in the heap. An interval gets a new entry each time it is re-armed;
    /// its id (the key of [`Timers::timers`]) stays the same.
    pub entry: TimerId,
    /// `Some(period)` for an interval, `None` for a timeout.
    pub repeat: Option<Duration>,
    /// The callback; `None` while it runs (moved out, so that it can borrow the timers).
    pub callback: Option<Callback>,
}

/// A loop's timers, without the loop: a heap of deadlines, and the timers by id.
pub struct Timers {
    /// The loop's cached time. The tests move it forward by hand.
    pub now: Instant,
    /// Deadlines, nearest first; each value is the id of its timer in `timers`.
    pub heap: TimerHeap<TimerId>,
    /// Every active timer, by id.
    pub timers: HashMap<TimerId, Timer>,
}

impl Timers {
    /// No timers; the clock reads `now`.
    pub fn new(now: Instant) -> Timers {
        Timers {
            now,
            heap: TimerHeap::new(),
            timers: HashMap::new(),
        }
    }

    /// Calls `callback` once, `delay` after `now`.
    pub fn set_timeout(
        &mut self,
        delay: Duration,
        callback: impl FnMut(&mut Timers) + 'static,
    ) -> TimerId {
        self.start(delay, None, Box::new(callback))
    }

    /// Calls `callback` every `delay` until cleared.
    pub fn set_interval(
        &mut self,
        delay: Duration,
        callback: impl FnMut(&mut Timers) + 'static,
    ) -> TimerId {
        self.start(delay, Some(delay), Box::new(callback))
    }

    fn start(&mut self, delay: Duration, repeat: Option<Duration>, callback: Callback) -> TimerId {
        let id = self.heap.next_id();
        let entry = self.heap.push(deadline_after(self.now, delay), id);
        self.timers.insert(
            id,
            Timer {
                entry,
                repeat,
                callback: Some(callback),
            },
        );
        id
    }

    /// Stops a timer (timeout or interval); returns whether it was active.
    pub fn clear(&mut self, id: TimerId) -> bool {
        match self.timers.remove(&id) {
            Some(timer) => {
                self.heap.cancel(timer.entry);
                true
            }
            None => false,
        }
    }

    /// Whether `id` will fire again.
    pub fn is_active(&self, id: TimerId) -> bool {
        self.timers.contains_key(&id)
    }
}

/// Exercise ch05.1: how long `poll(2)` may sleep at `now`, in milliseconds, given the nearest
/// timer deadline.
pub fn poll_timeout_ms(now: Instant, next_deadline: Option<Instant>) -> c_int {
    let Some(deadline) = next_deadline else {
        return -1;
    };
    let left = deadline.saturating_duration_since(now);
    c_int::try_from(left.as_nanos().div_ceil(1_000_000)).unwrap_or(c_int::MAX)
}

/// Exercise ch05.2: fires the timer `id`, whose heap entry was just popped.
///
/// A timeout fires once: it is no longer active while its callback runs. An interval is re-armed
/// for `now + period` *before* its callback runs (so the callback can clear it), and keeps its
/// callback for next time unless it was cleared.
pub fn fire(timers: &mut Timers, id: TimerId) {
    let Some(timer) = timers.timers.get_mut(&id) else {
        return;
    };
    let Some(mut callback) = timer.callback.take() else {
        return;
    };
    match timer.repeat {
        Some(period) => timer.entry = timers.heap.push(deadline_after(timers.now, period), id),
        None => {
            timers.timers.remove(&id);
        }
    }
    callback(timers);
    if let Some(timer) = timers.timers.get_mut(&id) {
        timer.callback = Some(callback);
    }
}

/// Exercise ch05.3: the timers phase. Fires, with [`fire`], every timer due at `timers.now`, in
/// (deadline, start order), and returns how many fired. A timer started by a callback during
/// the phase waits for the next phase, even if it is already due.
pub fn run_timers(timers: &mut Timers) -> usize {
    let limit = timers.heap.next_id();
    let mut fired = 0;
    while let Some((_, id)) = timers.heap.pop_due(timers.now, limit) {
        fire(timers, id);
        fired += 1;
    }
    fired
}
