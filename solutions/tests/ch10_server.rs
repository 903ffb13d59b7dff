//! The chapter 10 exercise tests (`exercises/tests/ch10_server.rs`), run against the solution.
extern crate solutions_ch10 as exercises_ch10;
#[path = "../../exercises/tests/ch10_server.rs"]
mod ch10_server;
