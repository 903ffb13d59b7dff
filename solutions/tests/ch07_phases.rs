//! The chapter 7 exercise tests (`exercises/tests/ch07_phases.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch07_phases.rs"]
mod ch07_phases;
