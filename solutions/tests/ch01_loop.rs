//! The chapter 1 exercise tests (`exercises/tests/ch01_loop.rs`), run against the solution.
extern crate solutions_ch01 as exercises_ch01;
#[path = "../../exercises/tests/ch01_loop.rs"]
mod ch01_loop;
