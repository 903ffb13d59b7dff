//! The chapter 05 exercise tests (`exercises/tests/ch05_timers.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch05_timers.rs"]
mod ch05_timers;
