//! The chapter 9 exercise tests (`exercises/tests/ch09_threadpool.rs`), run against the solution.
extern crate solutions_ch09 as exercises_ch09;
#[path = "../../exercises/tests/ch09_threadpool.rs"]
mod ch09_threadpool;
