//! Chapter 5: timers.
//!
//! A timer is a deadline and a callback. The loop keeps them in a [`TimerHeap`], asks it for the
//! nearest deadline to decide how long it may sleep in the kernel ([`poll_timeout_ms`]), and fires
//! the ones that are due when it wakes ([`Loop::run_timers`]).
//!
//! * [`example`]: the classic 100 ms timer that fires at 105 ms;
//! * [`heap`]: the min-heap by (deadline, start order), with lazy cancel;
//! * [`timeout`]: delays to deadlines, the nearest deadline to a poll timeout;
//! * [`timers`]: `set_timeout`, `set_interval`, `clear_timeout`, and the timers phase;
//! * [`wait`]: `poll(2)`, the loop's way of sleeping;
//! * [`io`]: just enough fd watching for the chapter's example;
//! * [`looop`]: the [`Loop`] and its turn.

pub mod example;
pub mod heap;
pub mod io;
pub mod looop;
pub mod timeout;
pub mod timers;
pub mod wait;

pub use heap::{TimerHeap, TimerId};
pub use io::WatchId;
pub use looop::Loop;
pub use timeout::{clamp_delay, deadline_after, poll_timeout_ms};

use std::time::Duration;

/// What one poll did, as [`Loop::set_trace`] reports it.
#[derive(Debug, Clone, Copy)]
pub struct Trace {
    /// The timeout poll was given, in ms (`-1`: none).
    pub timeout_ms: libc::c_int,
    /// How long it slept.
    pub slept: Duration,
    /// How many fds it found ready.
    pub ready: usize,
}

#[cfg(test)]
mod tests;
