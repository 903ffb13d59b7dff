//! The chapter 10 exercise tests (`exercises/tests/ch10_server.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch10_server.rs"]
mod ch10_server;
