//! The chapter 5 exercise tests (`exercises/tests/ch05_timers.rs`), run against the solution.
extern crate solutions_ch05 as exercises_ch05;
#[path = "../../exercises/tests/ch05_timers.rs"]
mod ch05_timers;
