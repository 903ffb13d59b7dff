//! The chapter 3 exercise tests (`exercises/tests/ch03_select.rs`), run against the solution.
extern crate solutions_ch03 as exercises_ch03;
#[path = "../../exercises/tests/ch03_select.rs"]
mod ch03_select;
