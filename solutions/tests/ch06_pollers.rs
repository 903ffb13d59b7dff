//! The chapter 06 exercise tests (`exercises/tests/ch06_pollers.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch06_pollers.rs"]
mod ch06_pollers;
