//! The chapter 8 exercise tests (`exercises/tests/ch08_ticks.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch08_ticks.rs"]
mod ch08_ticks;
