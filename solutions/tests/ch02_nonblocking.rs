//! The chapter 2 exercise tests (`exercises/tests/ch02_nonblocking.rs`), run against the solution.
extern crate solutions_ch02 as exercises_ch02;
#[path = "../../exercises/tests/ch02_nonblocking.rs"]
mod ch02_nonblocking;
