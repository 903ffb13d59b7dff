//! The chapter 6 exercise tests (`exercises/tests/ch06_pollers.rs`), run against the solution.
extern crate solutions_ch06 as exercises_ch06;
#[path = "../../exercises/tests/ch06_pollers.rs"]
mod ch06_pollers;
