//! `setTimeout` and `setInterval` the way Node builds them (`lib/internal/timers.js`): one list
//! per delay, each in start order so its head is due first; a priority queue of lists by expiry;
//! and a single loop timer armed at the earliest expiry.
//!
//! Starting a timer is an append to its list: O(1), where a heap entry per timer costs O(log n).
//! Programs use few distinct delays, so the queue of lists stays tiny.

use super::node::{Node, Task};
use crate::ch07_phases::Handle;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::time::{Duration, Instant};

/// Names one `setTimeout`/`setInterval`, for [`Node::clear_timeout`] and `unref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timeout {
    index: u32,
    generation: u32,
}

/// A timer's callback: once, or every time for an interval.
enum Callback {
    Once(Task),
    Repeat(Box<dyn FnMut(&mut Node)>),
}

/// One started timer.
struct Slot {
    generation: u32,
    /// `None` while free, or while the callback runs.
    callback: Option<Callback>,
    /// Live: started and not cleared (a running interval stays live).
    live: bool,
    /// The loop time it was (re)started at: Node's `_idleStart`.
    start: Instant,
    /// The delay, in ms (at least 1): names its list.
    ms: u64,
    /// Keeps the loop alive.
    referenced: bool,
}

/// The timers of one delay, oldest first.
struct List {
    entries: VecDeque<Timeout>,
    /// When the head is due (or later, if the head was cleared).
    expiry: Instant,
    /// Ties between lists of equal expiry go to the older key, as in Node.
    key: u64,
}

/// All timers.
#[derive(Default)]
pub(crate) struct TimerLists {
    slots: Vec<Slot>,
    free: Vec<u32>,
    lists: HashMap<u64, List>,
    /// Lists by (expiry, key, delay); a key whose list has moved on is stale and skipped.
    queue: BinaryHeap<Reverse<(Instant, u64, u64)>>,
    next_key: u64,
    /// Live, referenced timers: the loop timer is referenced while this is not zero.
    referenced: usize,
    /// Live timers.
    live: usize,
    /// The loop timer behind them all.
    pub(crate) handle: Option<Handle>,
    /// The expiry the loop timer is armed for.
    armed: Option<Instant>,
    /// Whether the loop timer is currently referenced.
    handle_referenced: bool,
}

impl TimerLists {
    fn get(&self, id: Timeout) -> Option<&Slot> {
        self.slots
            .get(id.index as usize)
            .filter(|s| s.generation == id.generation && s.live)
    }

    fn get_mut(&mut self, id: Timeout) -> Option<&mut Slot> {
        self.slots
            .get_mut(id.index as usize)
            .filter(|s| s.generation == id.generation && s.live)
    }

    /// Appends a live timer to the list of its delay, creating the list if needed. Returns the
    /// new list's expiry when one was created.
    fn append(&mut self, id: Timeout, ms: u64, start: Instant) -> Option<Instant> {
        if let Some(list) = self.lists.get_mut(&ms) {
            list.entries.push_back(id);
            return None;
        }
        let expiry = start + Duration::from_millis(ms);
        let key = self.next_key;
        self.next_key += 1;
        let mut entries = VecDeque::new();
        entries.push_back(id);
        self.lists.insert(
            ms,
            List {
                entries,
                expiry,
                key,
            },
        );
        self.queue.push(Reverse((expiry, key, ms)));
        Some(expiry)
    }

    /// Frees a timer's slot.
    fn release(&mut self, id: Timeout) {
        if let Some(slot) = self.slots.get_mut(id.index as usize)
            && slot.generation == id.generation
        {
            if slot.live {
                self.live -= 1;
                if slot.referenced {
                    self.referenced -= 1;
                }
            }
            slot.live = false;
            slot.callback = None;
            slot.generation = slot.generation.wrapping_add(1);
            self.free.push(id.index);
        }
    }
}

impl Node {
    // ANCHOR: set_timeout
    /// `setTimeout(callback, ms)`: runs once, in a timers phase at least `ms` after now. As in
    /// Node, a delay below 1 ms is 1 ms, and "now" is read fresh (Node's `getLibuvNow`).
    pub fn set_timeout(&mut self, ms: u64, callback: impl FnOnce(&mut Node) + 'static) -> Timeout {
        self.start_timer(ms, Callback::Once(Box::new(callback)))
    }
    // ANCHOR_END: set_timeout

    /// `setInterval(callback, ms)`: runs every `ms`, counted from when each run began.
    pub fn set_interval(&mut self, ms: u64, callback: impl FnMut(&mut Node) + 'static) -> Timeout {
        self.start_timer(ms, Callback::Repeat(Box::new(callback)))
    }

    /// `clearTimeout(timeout)`: it will not run (again). Clearing one that already ran, or
    /// clearing twice, does nothing.
    pub fn clear_timeout(&mut self, id: Timeout) {
        if self.data.timers.get(id).is_some() {
            self.data.timers.release(id);
            self.sync_timer_handle();
        }
    }

    /// `clearInterval(interval)`: the same as [`clear_timeout`](Self::clear_timeout), as in Node.
    pub fn clear_interval(&mut self, id: Timeout) {
        self.clear_timeout(id);
    }

    /// `timeout.unref()`: the timer still runs while the loop is alive for other reasons, but
    /// does not keep it alive.
    pub fn unref_timer(&mut self, id: Timeout) {
        let timers = &mut self.data.timers;
        if let Some(slot) = timers.get_mut(id)
            && slot.referenced
        {
            slot.referenced = false;
            timers.referenced -= 1;
            self.sync_timer_handle();
        }
    }

    /// `timeout.ref()`: undoes [`unref_timer`](Self::unref_timer).
    pub fn ref_timer(&mut self, id: Timeout) {
        let timers = &mut self.data.timers;
        if let Some(slot) = timers.get_mut(id)
            && !slot.referenced
        {
            slot.referenced = true;
            timers.referenced += 1;
            self.sync_timer_handle();
        }
    }

    /// `timeout.hasRef()`.
    pub fn timer_has_ref(&self, id: Timeout) -> bool {
        self.data.timers.get(id).is_some_and(|s| s.referenced)
    }

    fn start_timer(&mut self, ms: u64, callback: Callback) -> Timeout {
        let ms = ms.max(1);
        self.update_time();
        let start = self.now();
        let timers = &mut self.data.timers;
        let slot = Slot {
            generation: 0,
            callback: Some(callback),
            live: true,
            start,
            ms,
            referenced: true,
        };
        let id = match timers.free.pop() {
            Some(index) => {
                let old = &mut timers.slots[index as usize];
                let generation = old.generation;
                *old = Slot { generation, ..slot };
                Timeout { index, generation }
            }
            None => {
                timers.slots.push(slot);
                Timeout {
                    index: (timers.slots.len() - 1) as u32,
                    generation: 0,
                }
            }
        };
        timers.live += 1;
        timers.referenced += 1;
        if let Some(expiry) = timers.append(id, ms, start)
            && timers.armed.is_none_or(|armed| expiry < armed)
        {
            self.arm_timer_handle(expiry);
        }
        self.sync_timer_handle();
        id
    }

    /// Arms the loop timer to fire at `expiry`.
    fn arm_timer_handle(&mut self, expiry: Instant) {
        let Some(handle) = self.data.timers.handle else {
            return;
        };
        let delay = expiry.saturating_duration_since(self.now());
        self.timer_start(handle, delay, Duration::ZERO, |node, _| {
            node.process_timers();
        });
        self.data.timers.armed = Some(expiry);
    }

    /// References the loop timer while a referenced timer is live, and stops it when no timer is
    /// live at all.
    fn sync_timer_handle(&mut self) {
        let Some(handle) = self.data.timers.handle else {
            return;
        };
        let timers = &mut self.data.timers;
        if timers.live == 0 && timers.armed.is_some() {
            timers.armed = None;
            self.timer_stop(handle);
        }
        let want = self.data.timers.referenced > 0;
        if want != self.data.timers.handle_referenced {
            if want {
                self.ref_handle(handle);
            } else {
                self.unref(handle);
            }
            self.data.timers.handle_referenced = want;
        }
    }

    // ANCHOR: process_timers
    /// The loop timer's callback (Node's `processTimers`): runs every due list in expiry order,
    /// draining the queues between lists and between timers, then re-arms the loop timer.
    fn process_timers(&mut self) {
        self.data.timers.armed = None;
        self.update_time();
        let now = self.now();
        let mut ran_one = false;
        while let Some(&Reverse((expiry, key, ms))) = self.data.timers.queue.peek() {
            let current = self
                .data
                .timers
                .lists
                .get(&ms)
                .is_some_and(|l| l.key == key);
            if !current {
                self.data.timers.queue.pop();
                continue;
            }
            if expiry > now {
                self.arm_timer_handle(expiry);
                break;
            }
            self.data.timers.queue.pop();
            self.run_list(ms, now, &mut ran_one);
        }
        self.sync_timer_handle();
        self.run_ticks_and_microtasks();
    }

    /// Node's `listOnTimeout`: runs the due timers at the head of one list. A timer started at
    /// or after `now` (by a callback of this phase, say) is not due yet: the list gets a new
    /// expiry and goes back in the queue.
    fn run_list(&mut self, ms: u64, now: Instant, ran_one: &mut bool) {
        let delay = Duration::from_millis(ms);
        loop {
            let timers = &mut self.data.timers;
            let Some(&id) = timers.lists.get(&ms).and_then(|l| l.entries.front()) else {
                timers.lists.remove(&ms);
                return;
            };
            let start = timers.get(id).map(|slot| slot.start);
            let list = timers.lists.get_mut(&ms).expect("seen above");
            let Some(start) = start else {
                list.entries.pop_front(); // cleared
                continue;
            };
            if start + delay > now {
                let expiry = (start + delay).max(now + Duration::from_millis(1));
                let key = timers.next_key;
                timers.next_key += 1;
                list.expiry = expiry;
                list.key = key;
                timers.queue.push(Reverse((expiry, key, ms)));
                return;
            }
            list.entries.pop_front();
            if *ran_one {
                self.run_ticks_and_microtasks_between();
            }
            *ran_one = true;
            self.run_timer(id);
        }
    }
    // ANCHOR_END: process_timers

    /// Runs one due timer: a timeout is released first; an interval runs and, unless its
    /// callback cleared it, goes to the back of its list counted from when this run began.
    fn run_timer(&mut self, id: Timeout) {
        let start = self.now();
        let Some(slot) = self.data.timers.get_mut(id) else {
            return;
        };
        match slot.callback.take() {
            Some(Callback::Once(task)) => {
                self.data.timers.release(id);
                self.data.callbacks += 1;
                task(self);
            }
            Some(Callback::Repeat(mut callback)) => {
                self.data.callbacks += 1;
                callback(self);
                let timers = &mut self.data.timers;
                if let Some(slot) = timers.get_mut(id) {
                    slot.callback = Some(Callback::Repeat(callback));
                    slot.start = start;
                    let ms = slot.ms;
                    if let Some(expiry) = timers.append(id, ms, start)
                        && timers.armed.is_none_or(|armed| expiry < armed)
                    {
                        self.arm_timer_handle(expiry);
                    }
                }
            }
            None => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::rc::Rc;

    #[test]
    fn an_old_id_cannot_clear_the_timer_that_reused_its_slot() {
        let mut node = Node::boot().unwrap();
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        let old = node.set_timeout(1, move |_| l.borrow_mut().push("old"));
        node.run_until_done().unwrap();
        let l = log.clone();
        let new = node.set_timeout(1, move |_| l.borrow_mut().push("new"));
        assert_eq!(new.index, old.index, "the slot was reused");
        node.clear_timeout(old); // already fired: must not touch `new`
        node.clear_timeout(old);
        node.run_until_done().unwrap();
        assert_eq!(*log.borrow(), ["old", "new"]);
    }

    #[test]
    fn delays_below_one_millisecond_are_one_millisecond() {
        let mut node = Node::boot().unwrap();
        let start = Instant::now();
        node.update_time();
        node.set_timeout(0, |_| {});
        node.run_until_done().unwrap();
        assert!(start.elapsed() >= Duration::from_millis(1));
    }

    #[test]
    fn clearing_every_timer_stops_the_loop_timer() {
        let mut node = Node::boot().unwrap();
        let a = node.set_timeout(10_000, |_| panic!("cleared"));
        let b = node.set_interval(10_000, |_| panic!("cleared"));
        node.clear_timeout(a);
        node.clear_interval(b);
        assert!(!node.alive(), "nothing is left to keep the loop alive");
        let start = Instant::now();
        node.run_until_done().unwrap();
        assert!(start.elapsed() < Duration::from_secs(5));
    }
}
