//! The chapter 9 exercise tests (`exercises/tests/ch09_threadpool.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch09_threadpool.rs"]
mod ch09_threadpool;
