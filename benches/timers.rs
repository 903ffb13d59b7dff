//! Why the timers live in a heap: insert N timers, then pop them all in deadline order, with
//! the chapter-5 [`TimerHeap`] and with a sorted list (a `VecDeque` kept in order by inserting
//! each timer in place).
//!
//! Two workloads:
//! * `insert_pop_random`: deadlines in random order, as when timers of many different delays are
//!   set: the heap is O(log n) per timer, the sorted list O(n) per insert (it shifts the
//!   elements after the insertion point);
//! * `insert_pop_same_delay`: deadlines in increasing order, as when every timer has the same
//!   delay (socket timeouts): each new timer goes at the end, and the sorted list is O(1).
//!
//! `cargo bench -p eventloops-benches --bench timers`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventloops::ch05_timers::TimerHeap;
use std::collections::VecDeque;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// A sorted list of `(deadline, sequence)`, earliest first: the structure a heap replaces.
struct SortedList {
    items: VecDeque<(Instant, u64)>,
    next_sequence: u64,
}

impl SortedList {
    fn new() -> Self {
        SortedList {
            items: VecDeque::new(),
            next_sequence: 0,
        }
    }

    /// Binary search for the place (O(log n)), then shift to make room (O(n)).
    fn push(&mut self, deadline: Instant) {
        let key = (deadline, self.next_sequence);
        self.next_sequence += 1;
        let at = self.items.partition_point(|k| *k < key);
        self.items.insert(at, key);
    }

    /// The earliest timer: O(1) at the front.
    fn pop(&mut self) -> Option<(Instant, u64)> {
        self.items.pop_front()
    }
}

/// `n` deadlines within a minute of `base`, in a fixed pseudo-random order (xorshift64).
fn random_deadlines(base: Instant, n: usize) -> Vec<Instant> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            base + Duration::from_nanos(x % 60_000_000_000)
        })
        .collect()
}

/// `n` deadlines in increasing order, one microsecond apart.
fn increasing_deadlines(base: Instant, n: usize) -> Vec<Instant> {
    (0..n as u64)
        .map(|i| base + Duration::from_micros(i))
        .collect()
}

/// Inserts every deadline, then pops them all in order; returns how many came out.
fn heap_insert_pop(deadlines: &[Instant], after_all: Instant) -> usize {
    let mut heap = TimerHeap::new();
    for &d in deadlines {
        heap.push(d, ());
    }
    let limit = heap.next_id();
    let mut popped = 0;
    while heap.pop_due(after_all, limit).is_some() {
        popped += 1;
    }
    popped
}

/// The same with the sorted list.
fn sorted_insert_pop(deadlines: &[Instant]) -> usize {
    let mut list = SortedList::new();
    for &d in deadlines {
        list.push(d);
    }
    let mut popped = 0;
    while list.pop().is_some() {
        popped += 1;
    }
    popped
}

fn bench_workload(
    c: &mut Criterion,
    group_name: &str,
    make: fn(Instant, usize) -> Vec<Instant>,
    heap_sizes: &[usize],
    sorted_sizes: &[usize],
) {
    let base = Instant::now();
    let after_all = base + Duration::from_secs(3600);
    let mut group = c.benchmark_group(group_name);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(3));
    group.warm_up_time(Duration::from_millis(500));
    for &n in heap_sizes {
        let deadlines = make(base, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("heap", n), &deadlines, |b, d| {
            b.iter(|| heap_insert_pop(black_box(d), after_all))
        });
    }
    for &n in sorted_sizes {
        let deadlines = make(base, n);
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("sorted_list", n), &deadlines, |b, d| {
            b.iter(|| sorted_insert_pop(black_box(d)))
        });
    }
    group.finish();
}

fn timers(c: &mut Criterion) {
    // The sorted list with random deadlines is quadratic: 1M would take hours, so it stops at
    // 100k (see the book page).
    bench_workload(
        c,
        "insert_pop_random",
        random_deadlines,
        &[10_000, 100_000, 1_000_000],
        &[10_000, 100_000],
    );
    bench_workload(
        c,
        "insert_pop_same_delay",
        increasing_deadlines,
        &[10_000, 1_000_000],
        &[10_000, 1_000_000],
    );
}

criterion_group!(benches, timers);
criterion_main!(benches);
