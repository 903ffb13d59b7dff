//! The chapter 02 exercise tests (`exercises/tests/ch02_nonblocking.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch02_nonblocking.rs"]
mod ch02_nonblocking;
