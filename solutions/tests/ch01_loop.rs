//! The chapter 01 exercise tests (`exercises/tests/ch01_loop.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch01_loop.rs"]
mod ch01_loop;
