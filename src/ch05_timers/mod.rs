//! Chapter 5: timers.
//!
//! A timer is a deadline and a callback. The loop keeps them in a [`TimerHeap`], asks it for the
//! nearest deadline to decide how long it may sleep in the kernel, and fires the ones that are
//! due when it wakes.

pub mod heap;

pub use heap::{TimerHeap, TimerId};
