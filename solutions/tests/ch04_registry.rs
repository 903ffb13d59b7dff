//! The chapter 04 exercise tests (`exercises/tests/ch04_registry.rs`), run against the solutions.
extern crate solutions as exercises;
#[path = "../../exercises/tests/ch04_registry.rs"]
mod ch04_registry;
