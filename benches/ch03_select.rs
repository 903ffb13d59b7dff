//! What one `select(2)` or `poll(2)` call costs as the number of watched fds grows, with one fd
//! (the highest) ready, so each call returns at once: the time is the kernel's walk over the
//! set, O(n) in the fds watched rather than in the fds ready.
//!
//! `cargo bench -p eventloops-benches --bench ch03_select`

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use eventloops::ch03_select::poll::{poll, pollfd};
use eventloops::ch03_select::{FdSet, select};
use eventloops::sys::ok_or_errno;
use std::hint::black_box;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::time::Duration;

/// `n` pipes; the last one has a byte waiting, so its read end is readable.
fn pipes(n: usize) -> Vec<(OwnedFd, OwnedFd)> {
    let mut all = Vec::new();
    for _ in 0..n {
        let mut fds = [0; 2];
        // SAFETY: `fds` has room for the two fds pipe writes.
        ok_or_errno(unsafe { libc::pipe(fds.as_mut_ptr()) }).unwrap();
        // SAFETY: both fds were just created by pipe and nothing else owns them.
        all.push(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) });
    }
    let last = &all[n - 1].1;
    // SAFETY: writing one byte from a valid buffer to an open pipe.
    ok_or_errno(unsafe { libc::write(last.as_raw_fd(), b"x".as_ptr().cast(), 1) }).unwrap();
    all
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("wait_one_ready");
    group.measurement_time(Duration::from_secs(2));
    group.warm_up_time(Duration::from_millis(500));
    for n in [1, 10, 100, 250, 500] {
        let fds = pipes(n);
        let max_fd = fds.iter().map(|(r, _)| r.as_raw_fd()).max().unwrap();
        // One call per iteration, whatever n is.
        group.throughput(Throughput::Elements(1));
        group.bench_with_input(BenchmarkId::new("select", n), &n, |b, _| {
            b.iter(|| {
                // Rebuilt every call, as a select loop must.
                let mut read = FdSet::new();
                for (r, _) in &fds {
                    read.insert(r.as_raw_fd()).unwrap();
                }
                black_box(select(max_fd + 1, Some(&mut read), None, Some(Duration::ZERO)).unwrap())
            })
        });
        let mut pollfds: Vec<_> = fds
            .iter()
            .map(|(r, _)| pollfd(r.as_raw_fd(), libc::POLLIN))
            .collect();
        group.bench_with_input(BenchmarkId::new("poll", n), &n, |b, _| {
            b.iter(|| black_box(poll(&mut pollfds, Some(Duration::ZERO)).unwrap()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
