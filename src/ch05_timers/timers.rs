//! The timer API of the loop, with Node.js's names: [`Loop::set_timeout`],
//! [`Loop::set_interval`], [`Loop::clear_timeout`], [`Loop::clear_interval`], and the timers
//! phase that fires them, [`Loop::run_timers`].

use super::timeout::{clamp_delay, deadline_after};
use super::{Loop, TimerId};
use std::time::Duration;

// ANCHOR: handle
/// What the loop keeps for one active timer.
pub(super) struct TimerHandle {
    /// The timer's current entry in the heap. An interval gets a new entry each time it is
    /// re-armed, while its [`TimerId`] stays the same.
    pub(super) entry: TimerId,
    /// The callback; `None` while it runs (it is moved out so that it can borrow the loop).
    pub(super) callback: Option<Callback>,
}

/// A timeout runs once, so it may consume what it captured; an interval runs again and again.
pub(super) enum Callback {
    /// From [`Loop::set_timeout`].
    Once(Box<dyn FnOnce(&mut Loop)>),
    /// From [`Loop::set_interval`], with its period.
    Repeat(Duration, Box<dyn FnMut(&mut Loop)>),
}
// ANCHOR_END: handle

impl Loop {
    // ANCHOR: set_timeout
    /// Calls `callback` once, `delay` after the loop's cached time [`now`](Loop::now) (not after
    /// the instant of this call: see [`update_time`](Loop::update_time)). A delay below 1 ms
    /// becomes 1 ms, as in Node.js; a huge one is clamped
    /// ([`clamp_delay`]).
    ///
    /// The timer fires in a timers phase at or after its deadline — never before — and after
    /// every timer with an earlier deadline, or the same deadline but set earlier.
    pub fn set_timeout(
        &mut self,
        delay: Duration,
        callback: impl FnOnce(&mut Loop) + 'static,
    ) -> TimerId {
        self.start_timer(delay, Callback::Once(Box::new(callback)))
    }

    /// Calls `callback` every `delay` (at least 1 ms) until the interval is cleared. Each time it
    /// fires, it is re-armed for `delay` after the loop's time *before* the callback runs, as
    /// libuv's `uv__run_timers` does, so a callback may clear its own interval.
    pub fn set_interval(
        &mut self,
        delay: Duration,
        callback: impl FnMut(&mut Loop) + 'static,
    ) -> TimerId {
        let delay = clamp_delay(delay);
        self.start_timer(delay, Callback::Repeat(delay, Box::new(callback)))
    }

    fn start_timer(&mut self, delay: Duration, callback: Callback) -> TimerId {
        let deadline = deadline_after(self.now, clamp_delay(delay));
        let id = self.heap.push(deadline, self.heap.next_id());
        self.timers.insert(
            id,
            TimerHandle {
                entry: id,
                callback: Some(callback),
            },
        );
        id
    }
    // ANCHOR_END: set_timeout

    // ANCHOR: clear
    /// Stops a timer: it will not fire again, even if it is due in the phase now running.
    /// Returns whether it was active. Clearing a timer that has fired or was cleared already does
    /// nothing (Node.js allows that too). As in Node.js, `clear_timeout` and `clear_interval` are
    /// the same function.
    pub fn clear_timeout(&mut self, id: TimerId) -> bool {
        let Some(handle) = self.timers.remove(&id) else {
            return false;
        };
        self.heap.cancel(handle.entry);
        true
    }

    /// The same as [`clear_timeout`](Loop::clear_timeout).
    pub fn clear_interval(&mut self, id: TimerId) -> bool {
        self.clear_timeout(id)
    }
    // ANCHOR_END: clear

    /// Whether `id` is still going to fire.
    pub fn is_active(&self, id: TimerId) -> bool {
        self.timers.contains_key(&id)
    }

    /// How many timers are active.
    pub fn active_timers(&self) -> usize {
        self.timers.len()
    }

    // ANCHOR: run_timers
    /// The timers phase: fires every timer due at the cached time, in (deadline, start order),
    /// and returns how many fired.
    ///
    /// Two rules keep a phase finite and fair. The limit is taken *once*, at the start: a timer
    /// started by a callback in this phase waits for the next one, even with a zero delay (an
    /// interval re-armed here, too). And "now" is not re-read during the phase: a callback that
    /// blocks makes the timers after it late, but never makes one fire early.
    pub fn run_timers(&mut self) -> usize {
        let started_before = self.heap.next_id();
        let mut fired = 0;
        while let Some((_, id)) = self.heap.pop_due(self.now, started_before) {
            self.fire(id);
            fired += 1;
        }
        fired
    }

    /// Runs the callback of the timer `id`, whose heap entry was just popped.
    fn fire(&mut self, id: TimerId) {
        let Some(handle) = self.timers.get_mut(&id) else {
            return; // cleared: its heap entry was cancelled, so this cannot happen
        };
        match handle.callback.take() {
            Some(Callback::Once(callback)) => {
                self.timers.remove(&id);
                callback(self);
            }
            Some(Callback::Repeat(period, mut callback)) => {
                // Re-arm first, from the loop's time, so the callback can clear it.
                handle.entry = self.heap.push(deadline_after(self.now, period), id);
                callback(self);
                // Put the callback back, unless the interval was cleared meanwhile.
                if let Some(handle) = self.timers.get_mut(&id) {
                    handle.callback = Some(Callback::Repeat(period, callback));
                }
            }
            None => {} // its callback is running: a timer cannot fire inside itself
        }
    }
    // ANCHOR_END: run_timers
}
