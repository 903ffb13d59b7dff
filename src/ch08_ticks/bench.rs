//! The three workloads of `node_dispatch.js` and `uv_dispatch.c`, on the book's loop: what
//! `chapters/bench-loop.rs` and `benches/loop_dispatch.rs` measure.

use super::Node;
use crate::ch06_pollers::Interest;
use std::cell::Cell;
use std::io;
use std::time::Instant;

thread_local! {
    /// The chain's counter. A thread-local keeps each callback a plain `fn`, which boxes without
    /// allocating (a zero-sized closure), as a JS closure over a counter costs Node nothing extra.
    static COUNT: Cell<u64> = const { Cell::new(0) };
    static LIMIT: Cell<u64> = const { Cell::new(0) };
}

fn bump() -> bool {
    COUNT.with(|c| {
        c.set(c.get() + 1);
        c.get() < LIMIT.with(Cell::get)
    })
}

fn reset(n: u64) {
    COUNT.with(|c| c.set(0));
    LIMIT.with(|l| l.set(n));
}

// ANCHOR: workloads
/// A chain of `n` immediates, each queued by the one before: one loop turn per callback.
/// Returns the elapsed nanoseconds.
///
/// With no fd watched, each turn's poll phase has nothing to ask the kernel and skips
/// `epoll_wait`; libuv on Linux makes the call anyway (`strace -c` counts one per turn).
/// [`immediate_chain_with_idle_fd`] measures the turn with that system call.
pub fn immediate_chain(n: u64) -> io::Result<u128> {
    run_immediate_chain(n, false)
}

/// The immediate chain with one idle pipe watched (and unreferenced, like Node's internal
/// handles), as in any real server: every turn then makes one `epoll_wait(timeout 0)`.
pub fn immediate_chain_with_idle_fd(n: u64) -> io::Result<u128> {
    run_immediate_chain(n, true)
}

fn run_immediate_chain(n: u64, watch_idle_fd: bool) -> io::Result<u128> {
    fn step(node: &mut Node) {
        if bump() {
            node.set_immediate(step);
        }
    }
    reset(n);
    let mut node = Node::boot()?;
    // The write end stays open, so the read end is never ready: watched, and never reported.
    let mut _writer = None;
    if watch_idle_fd {
        let (reader, writer) = std::io::pipe()?;
        let handle = node.watch(reader.into(), Interest::READABLE, |_, _, _| {})?;
        node.unref(handle);
        _writer = Some(writer);
    }
    let t0 = Instant::now();
    node.run_main(step);
    node.run_until_done()?;
    Ok(t0.elapsed().as_nanos())
}

/// `n` timers with delays `k % 100` ms, started at once. Returns the elapsed nanoseconds,
/// including the 99 ms the last one waits.
pub fn bulk_timers(n: u64) -> io::Result<u128> {
    bulk_timers_spread(n, 100)
}

/// `n` timers with delays `k % spread` ms (the benchmarks use a small spread to keep each
/// iteration short).
pub fn bulk_timers_spread(n: u64, spread: u64) -> io::Result<u128> {
    fn fire(_: &mut Node) {
        bump();
    }
    reset(n);
    let mut node = Node::boot()?;
    let t0 = Instant::now();
    node.run_main(|node| {
        for k in 0..n {
            node.set_timeout(k % spread.max(1), fire);
        }
    });
    node.run_until_done()?;
    assert_eq!(COUNT.with(Cell::get), n, "every timer fired");
    Ok(t0.elapsed().as_nanos())
}

/// A chain of `n` nextTicks, each queued by the one before. Returns the elapsed nanoseconds.
pub fn tick_chain(n: u64) -> io::Result<u128> {
    fn step(node: &mut Node) {
        if bump() {
            node.next_tick(step);
        }
    }
    reset(n);
    let mut node = Node::boot()?;
    let t0 = Instant::now();
    node.run_main(step);
    node.run_until_done()?;
    Ok(t0.elapsed().as_nanos())
}
// ANCHOR_END: workloads

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_workload_runs_every_callback() {
        immediate_chain(1000).unwrap();
        assert_eq!(COUNT.with(Cell::get), 1000);
        immediate_chain_with_idle_fd(1000).unwrap();
        assert_eq!(COUNT.with(Cell::get), 1000);
        bulk_timers(1000).unwrap();
        tick_chain(1000).unwrap();
        assert_eq!(COUNT.with(Cell::get), 1000);
    }
}
