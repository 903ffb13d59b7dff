//! The chapter program's demonstrations, one file each, on chapter 8's `Node` with this
//! chapter's pool and handles. The program (`chapters/ch09-threadpool.rs`) sets up the loop,
//! the listening socket and the signal handles, prints `listening on ...`, and runs one of them.

pub mod coalesce;
pub mod server;
pub mod slow;
pub mod ticking;
pub mod why;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// A flag that long-running work on the pool checks now and then. A pool thread cannot be
/// interrupted (cancelling only removes work that has not started), so work that must stop
/// promptly on Ctrl-C has to look.
#[derive(Debug, Clone, Default)]
pub struct StopFlag(Arc<AtomicBool>);

impl StopFlag {
    /// Asks the work to stop.
    pub fn raise(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    /// Whether it was asked to stop.
    pub fn raised(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }

    /// Sleeps `total` in small steps, returning early (`false`) if the flag is raised: a
    /// stand-in for a slow disk or a slow DNS server that still stops on Ctrl-C.
    pub fn sleep(&self, total: Duration) -> bool {
        let end = Instant::now() + total;
        while !self.raised() {
            let left = end.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(10)));
        }
        false
    }
}

/// Milliseconds since `start`, one decimal, right-aligned: the programs' time column.
pub fn stamp(start: Instant) -> String {
    format!("{:>7.1} ms", start.elapsed().as_secs_f64() * 1000.0)
}

/// The name of the current thread (`main`, `pool-worker-2`, ...).
pub fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_string()
}
