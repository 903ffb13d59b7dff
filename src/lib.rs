//! # Event loops from scratch
//!
//! The library behind the book: one module per chapter, in reading order, each a snapshot that
//! builds on the ones before it, plus [`sys`], the thin layer over the system calls that every
//! chapter shares.
//!
//! Nothing here uses mio, tokio, polling or any other event-loop crate: the point is to build one.
#![deny(missing_docs)]

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
pub mod sys;
pub mod text;
