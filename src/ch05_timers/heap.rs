//! The timer heap: which timer is due next, in O(log n).
//!
//! Timers are ordered by `(deadline, sequence)`. The sequence number is handed out in the order
//! timers are started, so two timers with the same deadline fire in the order they were set, as
//! libuv's `timer.c` does by comparing `timeout` and then `start_id`.
//!
//! Cancelling is lazy. The heap itself only holds `(deadline, sequence)` keys; the values live in
//! a map keyed by sequence. Cancelling removes the value, and its key is dropped from the heap when
//! it reaches the top. One invariant keeps [`TimerHeap::next_deadline`] exact: **the key on top of
//! the heap always belongs to a live timer** (or the heap is empty).

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::time::Instant;

/// Names one started timer. It is the timer's sequence number, so ids also order timers by the
/// time they were started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(pub u64);

/// A min-heap of timers ordered by `(deadline, start order)`, each carrying a value `T` (a
/// callback, say).
///
/// # Examples
///
/// ```
/// use eventloops::ch05_timers::TimerHeap;
/// use std::time::{Duration, Instant};
///
/// let start = Instant::now();
/// let mut heap = TimerHeap::new();
/// let late = heap.push(start + Duration::from_millis(20), "late");
/// heap.push(start + Duration::from_millis(10), "early");
/// heap.cancel(late);
///
/// let now = start + Duration::from_millis(30);
/// let limit = heap.next_id();
/// assert_eq!(heap.pop_due(now, limit).map(|(_, v)| v), Some("early"));
/// assert_eq!(heap.pop_due(now, limit), None);
/// ```
#[derive(Debug)]
pub struct TimerHeap<T> {
    /// The keys, smallest on top. May hold keys of cancelled timers, but never on top.
    order: BinaryHeap<Reverse<(Instant, u64)>>,
    /// The live timers' values, by sequence number.
    values: HashMap<u64, T, BuildHasherDefault<SequenceHasher>>,
    /// The sequence number the next started timer gets.
    next_sequence: u64,
}

impl<T> Default for TimerHeap<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> TimerHeap<T> {
    /// An empty heap.
    pub fn new() -> Self {
        TimerHeap {
            order: BinaryHeap::new(),
            values: HashMap::default(),
            next_sequence: 0,
        }
    }

    // ANCHOR: push
    /// Starts a timer that is due at `deadline`, and returns its id.
    pub fn push(&mut self, deadline: Instant, value: T) -> TimerId {
        let sequence = self.next_sequence;
        self.next_sequence += 1;
        self.order.push(Reverse((deadline, sequence)));
        self.values.insert(sequence, value);
        TimerId(sequence)
    }

    /// Cancels a timer and returns its value, or `None` if it already fired or was cancelled.
    pub fn cancel(&mut self, id: TimerId) -> Option<T> {
        let value = self.values.remove(&id.0)?;
        self.drop_dead_keys_on_top();
        Some(value)
    }

    // ANCHOR_END: push

    /// The deadline of the timer due first, or `None` when no timer is live.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.order.peek().map(|Reverse((deadline, _))| *deadline)
    }

    /// The id the next started timer will get. Pass it to [`pop_due`](Self::pop_due) as the limit
    /// at the start of a timers phase, so that timers started *during* the phase wait for the next
    /// one even when they are already due.
    pub fn next_id(&self) -> TimerId {
        TimerId(self.next_sequence)
    }

    // ANCHOR: pop_due
    /// Removes and returns the first timer that is due at `now` (deadline `<= now`) and was
    /// started before `started_before`; `None` when there is no such timer.
    pub fn pop_due(&mut self, now: Instant, started_before: TimerId) -> Option<(TimerId, T)> {
        let &Reverse((deadline, sequence)) = self.order.peek()?;
        // Keys are ordered by (deadline, sequence): if the top one is not due, or was started in
        // this phase, every key below it is later or started later still.
        if deadline > now || sequence >= started_before.0 {
            return None;
        }
        self.order.pop();
        let value = self
            .values
            .remove(&sequence)
            .expect("the key on top of the heap belongs to a live timer");
        self.drop_dead_keys_on_top();
        Some((TimerId(sequence), value))
    }
    // ANCHOR_END: pop_due

    /// Whether the timer `id` is still waiting to fire.
    pub fn contains(&self, id: TimerId) -> bool {
        self.values.contains_key(&id.0)
    }

    /// The number of live timers.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no timer is live.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    // ANCHOR: lazy
    /// Restores the invariant: pop keys of cancelled timers until the top key is live.
    fn drop_dead_keys_on_top(&mut self) {
        while let Some(Reverse((_, sequence))) = self.order.peek() {
            if self.values.contains_key(sequence) {
                break;
            }
            self.order.pop();
        }
    }
    // ANCHOR_END: lazy
}

/// Sequence numbers are unique, so the map need not pay for SipHash on every timer: one
/// multiplication spreads them (Fibonacci hashing). Not the number itself: std's `HashMap` takes
/// the top 7 bits of the hash as a tag for each slot, and small consecutive numbers all have the
/// same top bits (zero), which would make every lookup compare many keys.
#[derive(Default)]
struct SequenceHasher(u64);

impl Hasher for SequenceHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed here; fold anything else in byte by byte.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn drain(heap: &mut TimerHeap<&'static str>, now: Instant) -> Vec<&'static str> {
        let limit = heap.next_id();
        std::iter::from_fn(|| heap.pop_due(now, limit).map(|(_, v)| v)).collect()
    }

    #[test]
    fn fires_in_deadline_order() {
        let t0 = Instant::now();
        let mut heap = TimerHeap::new();
        heap.push(t0 + ms(30), "c");
        heap.push(t0 + ms(10), "a");
        heap.push(t0 + ms(20), "b");
        assert_eq!(heap.next_deadline(), Some(t0 + ms(10)));
        assert_eq!(drain(&mut heap, t0 + ms(30)), ["a", "b", "c"]);
        assert!(heap.is_empty());
    }

    #[test]
    fn equal_deadlines_fire_in_start_order() {
        let t0 = Instant::now();
        let mut heap = TimerHeap::new();
        for name in ["a", "b", "c", "d", "e"] {
            heap.push(t0 + ms(10), name);
        }
        assert_eq!(drain(&mut heap, t0 + ms(10)), ["a", "b", "c", "d", "e"]);
    }

    #[test]
    fn nothing_fires_before_its_deadline() {
        let t0 = Instant::now();
        let mut heap = TimerHeap::new();
        heap.push(t0 + ms(10), "a");
        assert!(drain(&mut heap, t0 + ms(9)).is_empty());
        assert_eq!(heap.len(), 1);
    }

    #[test]
    fn cancelled_timers_do_not_fire_and_do_not_hold_the_next_deadline() {
        let t0 = Instant::now();
        let mut heap = TimerHeap::new();
        let a = heap.push(t0 + ms(10), "a");
        heap.push(t0 + ms(20), "b");
        assert_eq!(heap.cancel(a), Some("a"));
        assert_eq!(heap.cancel(a), None, "a second cancel finds nothing");
        assert_eq!(heap.next_deadline(), Some(t0 + ms(20)));
        assert_eq!(drain(&mut heap, t0 + ms(20)), ["b"]);
        assert_eq!(heap.next_deadline(), None);
    }

    #[test]
    fn timers_started_during_a_phase_wait_for_the_next_one() {
        let t0 = Instant::now();
        let mut heap = TimerHeap::new();
        heap.push(t0, "old");
        let limit = heap.next_id();
        heap.push(t0, "new, already due");
        assert_eq!(heap.pop_due(t0, limit).map(|(_, v)| v), Some("old"));
        assert_eq!(heap.pop_due(t0, limit), None);
        assert_eq!(drain(&mut heap, t0), ["new, already due"]);
    }

    #[test]
    fn cancelling_a_fired_timer_finds_nothing() {
        let t0 = Instant::now();
        let mut heap = TimerHeap::new();
        let a = heap.push(t0, "a");
        assert_eq!(drain(&mut heap, t0), ["a"]);
        assert!(!heap.contains(a));
        assert_eq!(heap.cancel(a), None);
    }
}
