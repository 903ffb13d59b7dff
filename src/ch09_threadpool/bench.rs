//! The workloads of `benches/peers/uv_queue_work.c`, on the book's loop and pool: what
//! `chapters/bench-pool.rs` and `benches/threadpool.rs` measure.
//!
//! * **Round trip**: one request at a time; each `after_work` queues the next. Every request
//!   pays both wakeups: the loop waking a sleeping worker (a futex), the worker waking the
//!   sleeping loop (an eventfd write, an `epoll_wait` return).
//! * **Throughput**: `n` requests queued at once, with no-op work or with `spin` of busy work
//!   each, on a pool of `threads`: the queue's lock and the batching of completions.
//! * **Coalescing**: a million sends from another thread to one async handle.

use crate::ch07_phases::{Loop, RunMode};
use crate::ch09_threadpool::{PoolSize, Wakeup};
use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

fn pool_loop(threads: usize) -> io::Result<Loop> {
    let mut lp: Loop = Loop::new()?;
    lp.start_threadpool(PoolSize::new(threads)?)?;
    Ok(lp)
}

// ANCHOR: round_trip
/// `n` requests one after the other on a pool of `threads`; the elapsed nanoseconds.
pub fn round_trip(n: u64, threads: usize) -> io::Result<u128> {
    fn next(lp: &mut Loop, left: u64) {
        if left == 0 {
            return;
        }
        let queued = lp.queue_work(
            || (),
            move |lp, done| {
                if done.is_ok() {
                    next(lp, left - 1);
                }
            },
        );
        debug_assert!(queued.is_ok());
    }
    let mut lp = pool_loop(threads)?;
    let start = Instant::now();
    next(&mut lp, n);
    lp.run(RunMode::Default)?;
    Ok(start.elapsed().as_nanos())
}
// ANCHOR_END: round_trip

/// Busy work for about `d` (a stand-in for parsing, hashing, compressing).
pub fn spin(d: Duration) {
    let end = Instant::now() + d;
    while Instant::now() < end {
        std::hint::spin_loop();
    }
}

/// `n` requests queued at once, each spinning `work` (zero: no-op), on a pool of `threads`;
/// the elapsed nanoseconds until the last `after_work` has run.
pub fn throughput(n: u64, threads: usize, work: Duration) -> io::Result<u128> {
    let mut lp = pool_loop(threads)?;
    let done = Rc::new(Cell::new(0u64));
    let start = Instant::now();
    for _ in 0..n {
        let done = done.clone();
        lp.queue_work(
            move || {
                if !work.is_zero() {
                    spin(work);
                }
            },
            move |_, _| done.set(done.get() + 1),
        )?;
    }
    lp.run(RunMode::Default)?;
    let elapsed = start.elapsed().as_nanos();
    if done.get() != n {
        return Err(io::Error::other("not every request completed"));
    }
    Ok(elapsed)
}

/// What [`coalescing`] counted.
#[derive(Debug, Clone, Copy)]
pub struct Coalesced {
    /// Sends made (the last one after the "finished" flag).
    pub sends: u64,
    /// Sends that made a system call.
    pub wakes: u64,
    /// Callbacks on the loop thread.
    pub callbacks: u64,
    /// Elapsed nanoseconds.
    pub nanos: u128,
}

/// `n` sends from another thread to one async handle on `wakeup`, then one more after a
/// "finished" flag; the callback closes the handle when it sees the flag.
pub fn coalescing(n: u64, wakeup: Wakeup) -> io::Result<Coalesced> {
    let mut lp: Loop = Loop::new()?;
    let finished = Arc::new(AtomicBool::new(false));
    let callbacks = Rc::new(Cell::new(0u64));
    let (f, c) = (finished.clone(), callbacks.clone());
    let (_handle, sender) = lp.async_init_with(wakeup, move |lp, me| {
        c.set(c.get() + 1);
        if f.load(Ordering::SeqCst) {
            lp.close(me, |_, _| {});
        }
    })?;
    let start = Instant::now();
    let s = sender.clone();
    let thread = std::thread::spawn(move || {
        for _ in 0..n {
            let _ = s.send();
        }
        finished.store(true, Ordering::SeqCst);
        let _ = s.send();
    });
    lp.run(RunMode::Default)?;
    let nanos = start.elapsed().as_nanos();
    thread
        .join()
        .map_err(|_| io::Error::other("the sending thread panicked"))?;
    Ok(Coalesced {
        sends: n + 1,
        wakes: sender.wakes(),
        callbacks: callbacks.get(),
        nanos,
    })
}
