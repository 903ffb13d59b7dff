//! The chapter 7 exercise tests (`exercises/tests/ch07_phases.rs`), run against the solution.
extern crate solutions_ch07 as exercises_ch07;
#[path = "../../exercises/tests/ch07_phases.rs"]
mod ch07_phases;
