//! # Chapter 11: our loop runs JavaScript
//!
//! Node.js is three things: an engine (V8) that runs JavaScript, a loop (libuv) that waits for
//! the world, and the glue between them (Node's C++ and its JavaScript library). This package is
//! the same three things with the book's parts: QuickJS (through `rquickjs`) for the engine,
//! chapter 8's [`Node`](eventloops::ch08_ticks::Node) (chapter 7's loop with Node's timer lists
//! and immediate queue) for the loop, and the glue written here:
//!
//! - [`env`](crate::env): how a host function, called from JavaScript, finds the loop (Node's
//!   `Environment`);
//! - `scope`: how the loop calls JavaScript, and what happens when JavaScript throws (Node's
//!   `InternalCallbackScope` and `process._fatalException`);
//! - `checkpoint`: after every callback, the nextTick queue, then the engine's promise jobs,
//!   until both are empty (chapter 8's rule, with the engine's own job queue as the microtask
//!   queue);
//! - `bindings`: the host functions behind `console`, timers, `process`, `require`, `fs` and
//!   `net`; the JavaScript library in `node/js/` builds Node's API on them.
//!
//! [`run_file`] runs a CommonJS file (or an `.mjs` ES module) as `node file.js` would. Three of
//! the runtime's decisions are plain functions over small traits ([`plugins`]), which chapter
//! 11's exercises write again.
#![deny(missing_docs)]

mod bindings;
mod boot;
mod checkpoint;
pub mod compare;
mod env;
mod hooks;
pub mod plugins;
mod runner;
mod scope;
pub mod trace;

pub use bindings::net::read_some;
pub use checkpoint::drain;
pub use plugins::{MicrotaskQueues, Plugins, Program, SocketReader, Thrown};
pub use runner::{Outcome, RunOptions, run_file, run_to_the_end};
