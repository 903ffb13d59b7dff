//! The chapter 11 exercise tests (`exercises/tests/ch11_node.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch11_node.rs"]
mod ch11_node;
