//! The chapter 4 exercise tests (`exercises/tests/ch04_registry.rs`), run against the solution.
extern crate solutions_ch04 as exercises_ch04;
#[path = "../../exercises/tests/ch04_registry.rs"]
mod ch04_registry;
