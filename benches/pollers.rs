//! The cost of one wait with N idle fds and one ready fd, for each backend.
//!
//! `cargo bench -p eventloops-benches --bench pollers`, then
//! `cargo run -p eventloops-benches --bin plot-pollers` for the book's plot.
//!
//! Each idle fd is one end of its own socketpair, whose peer never writes; the ready fd has one
//! byte waiting that is never read, so (level-triggered) every wait returns it at once: the
//! measured time is one `wait(timeout 0)` and nothing else. The peers are moved past fd 2048 so
//! select can watch N = 1000 (an `fd_set` holds fds below 1024 only).

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use eventloops::ch06_pollers::scaling::{UNWATCHED_FDS_FROM, move_above};
use eventloops::ch06_pollers::{Event, Interest, Poll, Poller, Select, Token};
use eventloops::sys::limits;
use std::hint::black_box;
use std::io::Write;
use std::os::fd::{AsFd, OwnedFd};
use std::os::unix::net::UnixStream;
use std::time::Duration;

/// The numbers of idle fds the book plots.
const SIZES: [usize; 5] = [1, 10, 100, 500, 1000];

/// A poller watching `idle` quiet sockets and one with a byte to read, and the sockets.
struct Setup<P> {
    poller: P,
    /// The watched ends, kept open for the poller's sake.
    _watched: Vec<UnixStream>,
    /// Their peers, moved to high fd numbers.
    _peers: Vec<OwnedFd>,
}

fn setup<P: Poller>(idle: usize) -> Setup<P> {
    let mut poller = P::new().unwrap();
    let mut watched = Vec::with_capacity(idle + 1);
    let mut peers = Vec::with_capacity(idle + 1);
    for i in 0..=idle {
        let (ours, theirs) = UnixStream::pair().unwrap();
        poller
            .register(ours.as_fd(), Token(i), Interest::READABLE)
            .unwrap();
        let mut theirs = UnixStream::from(move_above(theirs.into(), UNWATCHED_FDS_FROM).unwrap());
        if i == idle {
            theirs.write_all(b"x").unwrap(); // the one ready fd: never read
        }
        watched.push(ours);
        peers.push(theirs.into());
    }
    Setup {
        poller,
        _watched: watched,
        _peers: peers,
    }
}

// ANCHOR: bench
fn bench_backend<P: Poller>(c: &mut Criterion) {
    let mut group = c.benchmark_group("wait");
    group
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30);
    for n in SIZES {
        let mut s = setup::<P>(n);
        let mut events: Vec<Event> = Vec::with_capacity(64);
        group.bench_with_input(BenchmarkId::new(P::NAME, n), &n, |b, _| {
            b.iter(|| {
                let ready = s.poller.wait(&mut events, 64, 0).unwrap();
                assert_eq!(ready, 1);
                black_box(&events);
            })
        });
    }
    group.finish();
}
// ANCHOR_END: bench

fn pollers(c: &mut Criterion) {
    // Both ends of 1001 socketpairs, plus criterion's own files.
    limits::raise_fd_limit(4096 + 2 * 1024).unwrap();
    bench_backend::<Select>(c);
    bench_backend::<Poll>(c);
    #[cfg(any(target_os = "linux", target_os = "android"))]
    bench_backend::<eventloops::ch06_pollers::Epoll>(c);
    #[cfg(any(
        target_os = "macos",
        target_os = "ios",
        target_os = "freebsd",
        target_os = "openbsd",
        target_os = "netbsd",
        target_os = "dragonfly"
    ))]
    bench_backend::<eventloops::ch06_pollers::Kqueue>(c);
}

criterion_group!(benches, pollers);
criterion_main!(benches);
