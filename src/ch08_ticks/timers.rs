//! `setTimeout` and `setInterval` the way Node builds them (`lib/internal/timers.js`): one list
//! per delay, each in start order so its head is due first; a priority queue of lists by expiry;
//! and a single loop timer armed at the earliest expiry.
//!
//! Starting a timer is an append to its list: O(1), where a heap entry per timer costs O(log n).
//! Programs use few distinct delays, so the queue of lists stays tiny.
//!
//! A [`Timeout`] names a timer of one loop only: it carries its loop's id, so a `Timeout` from
//! another loop (two `Node`s in one program, say) finds nothing here instead of whichever timer
//! happens to sit in the same slot.

use super::node::{LoopId, Node, Task};
use crate::ch05_timers::deadline_after;
use crate::ch07_phases::Handle;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::time::{Duration, Instant};

/// The longest delay Node honours: 2³¹ − 1 ms (about 24.8 days), the largest delay a 32-bit
/// signed integer holds. Node turns anything longer into 1 ms (`lib/internal/timers.js`).
pub const TIMEOUT_MAX: u64 = (1 << 31) - 1;

/// The delay Node really uses for `setTimeout(f, ms)`: `ms` if it is within 1..=[`TIMEOUT_MAX`],
/// otherwise 1 ms. So `0` becomes 1 ms, and so does a delay that overflows (where Node also
/// prints a `TimeoutOverflowWarning` on stderr; this layer leaves the warning to its embedder,
/// as chapter 11's runtime emits it through `process.emitWarning`).
pub fn node_delay(ms: u64) -> u64 {
    if (1..=TIMEOUT_MAX).contains(&ms) {
        ms
    } else {
        1
    }
}

/// Names one `setTimeout`/`setInterval` of one loop, for [`Node::clear_timeout`],
/// [`Node::refresh_timer`] and `unref`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timeout {
    /// The loop the timer belongs to.
    owner: LoopId,
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
    /// Bumped each time the timer is appended to its list: only the entry carrying the current
    /// value counts, so a timer moved to the back (`refresh`, an interval's next run) leaves its
    /// old entry behind as a stale one that the list skips.
    appended: u32,
}

/// The timers of one delay, oldest first: each entry is a timer and the `appended` count it was
/// appended with.
struct List {
    entries: VecDeque<(Timeout, u32)>,
    /// When the head is due (or later, if the head was cleared).
    expiry: Instant,
    /// Ties between lists of equal expiry go to the older key, as in Node.
    key: u64,
}

/// All timers.
#[derive(Default)]
pub(crate) struct TimerLists {
    /// The loop these timers belong to; every `Timeout` handed out carries it.
    pub(crate) owner: LoopId,
    /// The timer whose callback is running, for [`Node::current_timeout`].
    running: Option<Timeout>,
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
        if id.owner != self.owner {
            return None;
        }
        self.slots
            .get(id.index as usize)
            .filter(|s| s.generation == id.generation && s.live)
    }

    fn get_mut(&mut self, id: Timeout) -> Option<&mut Slot> {
        if id.owner != self.owner {
            return None;
        }
        self.slots
            .get_mut(id.index as usize)
            .filter(|s| s.generation == id.generation && s.live)
    }

    /// Whether `(id, appended)` is a list entry that still counts: the timer is live and was
    /// not appended again since.
    fn current(&self, id: Timeout, appended: u32) -> Option<&Slot> {
        self.get(id).filter(|s| s.appended == appended)
    }

    /// Appends a live timer to the back of the list of its delay, counting from `start`,
    /// creating the list if needed; an entry it had in the list before goes stale. Returns the
    /// list's expiry, for the caller to arm the loop timer if it is not armed that early: a list
    /// can outlive the loop timer (every timer cleared stops it, and the emptied list stays until
    /// the timers phase finds it), so a timer joining an existing list may need it armed again.
    fn append(&mut self, id: Timeout, start: Instant) -> Option<Instant> {
        let slot = self.get_mut(id)?;
        slot.start = start;
        slot.appended = slot.appended.wrapping_add(1);
        let (ms, entry) = (slot.ms, (id, slot.appended));
        if let Some(list) = self.lists.get_mut(&ms) {
            list.entries.push_back(entry);
            return Some(list.expiry);
        }
        let expiry = deadline_after(start, Duration::from_millis(ms));
        let key = self.next_key;
        self.next_key += 1;
        let mut entries = VecDeque::new();
        entries.push_back(entry);
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
        if id.owner == self.owner
            && let Some(slot) = self.slots.get_mut(id.index as usize)
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
    /// Node, a delay below 1 ms or above [`TIMEOUT_MAX`] is 1 ms ([`node_delay`]), and "now" is
    /// read fresh (Node's `getLibuvNow`).
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

    // ANCHOR: refresh
    /// `timeout.refresh()`: restarts the timer's countdown from now, with the same delay; it
    /// moves to the back of the list of its delay, behind timers started meanwhile. Returns
    /// whether there was a timer to refresh.
    ///
    /// Works on a timeout that has not run yet and on an interval, from anywhere, its own
    /// callback included (find it there with [`current_timeout`](Self::current_timeout)).
    /// Clearing a timer makes `refresh` do nothing, as in Node.
    ///
    /// One difference from Node: a timeout that has run cannot be refreshed (this returns
    /// `false`). Node re-arms it, because its `Timeout` object keeps the callback for as long as
    /// JavaScript holds the object, and the garbage collector frees both together. Here a
    /// `Timeout` is a copyable name with no owner, and `set_timeout` takes an `FnOnce` (a port
    /// moves values into its callback, as a JS closure captures them), which is gone once it has
    /// run; keeping every finished callback in case someone refreshes it would keep them all.
    /// Chapter 11's runtime, which holds the JavaScript function, re-arms it as Node does.
    pub fn refresh_timer(&mut self, id: Timeout) -> bool {
        if self.data.timers.get(id).is_none() {
            return false;
        }
        self.update_time();
        let now = self.now();
        let timers = &mut self.data.timers;
        if let Some(expiry) = timers.append(id, now)
            && timers.armed.is_none_or(|armed| expiry < armed)
        {
            self.arm_timer_handle(expiry);
        }
        true
    }
    // ANCHOR_END: refresh

    /// The timer whose callback is running, if one is: what `this` is in a JavaScript timer
    /// callback. An interval can clear or refresh itself with it, without a variable holding
    /// its own `Timeout` (which a Rust closure cannot capture before it exists). `None` in ticks
    /// and microtasks, even those queued by a timer callback: they are callbacks of their own.
    pub fn current_timeout(&self) -> Option<Timeout> {
        self.data.timers.running
    }

    fn start_timer(&mut self, ms: u64, callback: Callback) -> Timeout {
        let ms = node_delay(ms);
        self.update_time();
        let start = self.now();
        let timers = &mut self.data.timers;
        let owner = timers.owner;
        let slot = Slot {
            generation: 0,
            callback: Some(callback),
            live: true,
            start,
            ms,
            referenced: true,
            appended: 0,
        };
        let id = match timers.free.pop() {
            Some(index) => {
                let old = &mut timers.slots[index as usize];
                let generation = old.generation;
                *old = Slot { generation, ..slot };
                Timeout {
                    owner,
                    index,
                    generation,
                }
            }
            None => {
                timers.slots.push(slot);
                Timeout {
                    owner,
                    index: (timers.slots.len() - 1) as u32,
                    generation: 0,
                }
            }
        };
        timers.live += 1;
        timers.referenced += 1;
        if let Some(expiry) = timers.append(id, start)
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
            let Some(&(id, appended)) = timers.lists.get(&ms).and_then(|l| l.entries.front())
            else {
                timers.lists.remove(&ms);
                return;
            };
            let start = timers.current(id, appended).map(|slot| slot.start);
            let list = timers.lists.get_mut(&ms).expect("seen above");
            let Some(start) = start else {
                list.entries.pop_front(); // cleared, or moved to the back since
                continue;
            };
            let due = deadline_after(start, delay);
            if due > now {
                let expiry = due.max(now + Duration::from_millis(1));
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

    /// Runs one due timer, as [`current_timeout`](Self::current_timeout) while it runs: a
    /// timeout is released first; an interval runs and, unless its callback cleared it, goes to
    /// the back of its list counted from when this run began.
    fn run_timer(&mut self, id: Timeout) {
        let start = self.now();
        let Some(slot) = self.data.timers.get_mut(id) else {
            return;
        };
        let callback = slot.callback.take();
        let outer = self.data.timers.running.replace(id);
        match callback {
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
                    if let Some(expiry) = timers.append(id, start)
                        && timers.armed.is_none_or(|armed| expiry < armed)
                    {
                        self.arm_timer_handle(expiry);
                    }
                }
            }
            None => {}
        }
        self.data.timers.running = outer;
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
    fn delays_above_timeout_max_become_one_millisecond_like_node() {
        assert_eq!(node_delay(0), 1);
        assert_eq!(node_delay(7), 7);
        assert_eq!(node_delay(TIMEOUT_MAX), TIMEOUT_MAX);
        assert_eq!(node_delay(TIMEOUT_MAX + 1), 1);
        assert_eq!(node_delay(u64::MAX), 1);
        // An overflowing delay runs after 1 ms, while the loop is alive for the 20 ms timer.
        let mut node = Node::boot().unwrap();
        let log = Rc::new(RefCell::new(Vec::new()));
        let l = log.clone();
        node.set_timeout(20, move |_| l.borrow_mut().push("20 ms"));
        let l = log.clone();
        let huge = node.set_timeout(u64::MAX, move |_| l.borrow_mut().push("u64::MAX"));
        node.unref_timer(huge);
        node.run_until_done().unwrap();
        assert_eq!(*log.borrow(), ["u64::MAX", "20 ms"]);
    }

    #[test]
    fn a_timeout_from_another_loop_clears_nothing_here() {
        let log = Rc::new(RefCell::new(Vec::new()));
        let mut one = Node::boot().unwrap();
        let mut two = Node::boot().unwrap();
        let l = log.clone();
        let mine = one.set_timeout(1, move |_| l.borrow_mut().push("one's timer"));
        let l = log.clone();
        let theirs = two.set_timeout(1, move |_| l.borrow_mut().push("two's timer"));
        assert_eq!(
            (mine.index, mine.generation),
            (theirs.index, theirs.generation),
            "the same slot in each loop"
        );
        // Each call is given the other loop's id: nothing may happen.
        two.clear_timeout(mine);
        two.unref_timer(mine);
        assert!(!two.refresh_timer(mine));
        assert!(!two.timer_has_ref(mine));
        let l = log.clone();
        let imm = one.set_immediate(move |_| l.borrow_mut().push("one's immediate"));
        let l = log.clone();
        two.set_immediate(move |_| l.borrow_mut().push("two's immediate"));
        two.clear_immediate(imm);
        one.run_until_done().unwrap();
        two.run_until_done().unwrap();
        let mut ran = log.borrow().clone();
        ran.sort();
        assert_eq!(
            ran,
            [
                "one's immediate",
                "one's timer",
                "two's immediate",
                "two's timer"
            ]
        );
    }

    #[test]
    fn a_timer_callback_knows_its_own_timeout() {
        let mut node = Node::boot().unwrap();
        assert_eq!(node.current_timeout(), None);
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        let once = node.set_timeout(1, move |node| {
            s.borrow_mut().push(node.current_timeout());
            let s2 = s.clone();
            // A tick queued by the callback is a callback of its own: no timer is running.
            node.next_tick(move |node| s2.borrow_mut().push(node.current_timeout()));
        });
        let s = seen.clone();
        let mut runs = 0;
        let every = node.set_interval(1, move |node| {
            let me = node.current_timeout();
            s.borrow_mut().push(me);
            runs += 1;
            if runs == 2 {
                node.clear_interval(me.expect("running"));
            }
        });
        node.run_until_done().unwrap();
        assert_eq!(*seen.borrow(), [Some(once), None, Some(every), Some(every)]);
        assert_eq!(node.current_timeout(), None);
    }

    #[test]
    fn refresh_restarts_the_countdown_from_now() {
        let mut node = Node::boot().unwrap();
        let log = Rc::new(RefCell::new(Vec::new()));
        let start = Instant::now();
        node.update_time();
        let l = log.clone();
        let a = node.set_timeout(30, move |_| l.borrow_mut().push(("a", start.elapsed())));
        let l = log.clone();
        node.set_timeout(30, move |_| l.borrow_mut().push(("b", start.elapsed())));
        // 20 ms in, a's 30 ms start again: it runs after b, at 50 ms or later.
        node.set_timeout(20, move |node| assert!(node.refresh_timer(a)));
        node.run_until_done().unwrap();
        let log = log.borrow();
        assert_eq!(log.iter().map(|e| e.0).collect::<Vec<_>>(), ["b", "a"]);
        assert!(
            log[1].1 >= Duration::from_millis(50),
            "a ran at {:?}",
            log[1].1
        );
    }

    #[test]
    fn a_timer_joining_a_list_whose_timers_were_all_cleared_still_runs() {
        // Clearing the only timer stops the loop timer, but its (now empty) list of 1 ms timers
        // stays until a timers phase finds it. A new 1 ms timer joins that list: it must arm the
        // loop timer again, or the loop sees nothing alive and exits without running it.
        let mut node = Node::boot().unwrap();
        let cleared = node.set_timeout(1, |_| panic!("cleared"));
        node.clear_timeout(cleared);
        let ran = Rc::new(RefCell::new(false));
        let r = ran.clone();
        node.set_timeout(1, move |_| *r.borrow_mut() = true);
        assert!(node.alive(), "the new timer keeps the loop alive");
        node.run_until_done().unwrap();
        assert!(*ran.borrow());
    }

    #[test]
    fn refresh_does_nothing_to_a_cleared_or_finished_timeout() {
        let mut node = Node::boot().unwrap();
        let cleared = node.set_timeout(1, |_| panic!("cleared"));
        node.clear_timeout(cleared);
        assert!(!node.refresh_timer(cleared));
        let ran = Rc::new(RefCell::new(0));
        let r = ran.clone();
        let once = node.set_timeout(1, move |_| *r.borrow_mut() += 1);
        node.run_until_done().unwrap();
        // Node would run it again; here its FnOnce is spent (see `refresh_timer`).
        assert!(!node.refresh_timer(once));
        node.run_until_done().unwrap();
        assert_eq!(*ran.borrow(), 1);
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
