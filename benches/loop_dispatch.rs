//! The dispatch paths `bench-loop` measures with a million callbacks, with smaller N under
//! criterion: an immediate chain (one loop turn per callback), bulk timers, a nextTick chain.
//! `cargo bench -p eventloops-benches --bench loop_dispatch`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventloops::ch08_ticks::bench::{
    bulk_timers_spread, immediate_chain, immediate_chain_with_idle_fd, tick_chain,
};
use std::hint::black_box;
use std::time::Duration;

const N: u64 = 10_000;

fn loop_dispatch(c: &mut Criterion) {
    let mut group = c.benchmark_group("loop_dispatch");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N));
    group.bench_function(BenchmarkId::new("immediate_chain", N), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| Duration::from_nanos(immediate_chain(black_box(N)).unwrap() as u64))
                .sum()
        })
    });
    group.bench_function(BenchmarkId::new("immediate_chain_idle_fd", N), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| {
                    Duration::from_nanos(immediate_chain_with_idle_fd(black_box(N)).unwrap() as u64)
                })
                .sum()
        })
    });
    // Delays k % 2 ms: every iteration waits ~1 ms for the last timer, as the 1M-timer run
    // waits 99 ms; criterion reports the total, bench-loop subtracts the wait.
    group.bench_function(BenchmarkId::new("timers_k_mod_2ms", N), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| Duration::from_nanos(bulk_timers_spread(black_box(N), 2).unwrap() as u64))
                .sum()
        })
    });
    group.bench_function(BenchmarkId::new("tick_chain", N), |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| Duration::from_nanos(tick_chain(black_box(N)).unwrap() as u64))
                .sum()
        })
    });
    group.finish();
}

criterion_group!(benches, loop_dispatch);
criterion_main!(benches);
