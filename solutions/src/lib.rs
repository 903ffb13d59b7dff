//! # Solutions
//!
//! The exercises of `exercises/`, finished. The tests in `exercises/tests/` run against this crate
//! as part of `cargo test` at the root, so every solution here is checked on every change.
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
