//! The chapter 03 exercise tests (`exercises/tests/ch03_select.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch03_select.rs"]
mod ch03_select;
