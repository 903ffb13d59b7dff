//! # Exercises
//!
//! One module per chapter. Each holds the heart of that chapter with its body left as `todo!()`
//! and a `// TODO` that says what to do; everything around it is written for you.
//!
//! * `cargo run -p exercises` shows which exercises pass, the next one to do, its file and its
//!   page in the book; `cargo run -p exercises -- hint ch03.1` gives a hint.
//! * `cargo test -p exercises ch03` runs one chapter's tests.
//!
//! The finished versions are in `solutions/`: look only when you are stuck.
// The stubs name their parameters for you to use; until you do, they are unused.
#![allow(unused_variables)]
pub mod ch01_loop;
pub mod ch02_nonblocking;
pub mod ch03_select;
pub mod ch04_registry;
pub mod ch05_timers;
pub mod ch06_pollers;
pub mod ch07_phases;
pub mod ch08_ticks;
pub mod ch09_threadpool;
pub mod ch10_server;
