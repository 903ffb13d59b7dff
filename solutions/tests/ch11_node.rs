//! The chapter 11 exercise tests (`exercises/tests/ch11_node.rs`), run against the solution.
extern crate solutions_ch11 as exercises_ch11;
#[path = "../../exercises/tests/ch11_node.rs"]
mod ch11_node;
