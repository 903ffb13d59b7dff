//! The chapter 8 exercise tests (`exercises/tests/ch08_ticks.rs`), run against the solution.
extern crate solutions_ch08 as exercises_ch08;
#[path = "../../exercises/tests/ch08_ticks.rs"]
mod ch08_ticks;
