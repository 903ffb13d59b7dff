//! The paths `bench-pool` measures, with smaller N under criterion: the pool's round trip
//! (`queue_work` → `after_work`, one at a time), its throughput with 1, 2 and 4 threads, and
//! coalescing sends to an async handle (eventfd and pipe).
//! `cargo bench -p eventloops-benches --bench threadpool`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventloops::ch09_threadpool::Wakeup;
use eventloops::ch09_threadpool::bench::{coalescing, round_trip, throughput};
use std::hint::black_box;
use std::time::Duration;

const ROUND_TRIPS: u64 = 1_000;
const NOOPS: u64 = 10_000;
const SENDS: u64 = 100_000;

/// Runs `f` (which returns elapsed nanoseconds) once per criterion iteration.
fn timed(iters: u64, f: impl Fn() -> u128) -> Duration {
    (0..iters).map(|_| Duration::from_nanos(f() as u64)).sum()
}

fn threadpool(c: &mut Criterion) {
    let mut group = c.benchmark_group("threadpool");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ROUND_TRIPS));
    for threads in [1, 4] {
        group.bench_function(BenchmarkId::new("round_trip_threads", threads), |b| {
            b.iter_custom(|iters| {
                timed(iters, || {
                    round_trip(black_box(ROUND_TRIPS), threads).unwrap()
                })
            })
        });
    }
    group.throughput(Throughput::Elements(NOOPS));
    for threads in [1, 2, 4] {
        group.bench_function(BenchmarkId::new("noop_throughput_threads", threads), |b| {
            b.iter_custom(|iters| {
                timed(iters, || {
                    throughput(black_box(NOOPS), threads, Duration::ZERO).unwrap()
                })
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("async_send");
    group.sample_size(10);
    group.throughput(Throughput::Elements(SENDS));
    for (name, make) in [
        ("eventfd", Wakeup::new as fn() -> std::io::Result<Wakeup>),
        ("pipe", Wakeup::pipe),
    ] {
        group.bench_function(BenchmarkId::new("coalesced_sends", name), |b| {
            b.iter_custom(|iters| {
                timed(iters, || {
                    coalescing(black_box(SENDS), make().unwrap()).unwrap().nanos
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, threadpool);
criterion_main!(benches);
