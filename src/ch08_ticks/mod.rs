//! Chapter 8: Node's layer on chapter 7's loop.
//!
//! Node.js adds two queues that libuv knows nothing about: the `process.nextTick` queue and V8's
//! microtask queue (promise jobs, `queueMicrotask`). After **every** callback that comes from the
//! loop (a timer, an immediate, an I/O callback, a close callback) and after the main script,
//! Node drains the nextTick queue, then the microtask queue, and repeats until both are empty.
//!
//! The API has Node's names in snake_case: [`Node::set_timeout`], [`Node::set_interval`],
//! [`Node::clear_timeout`], [`Node::set_immediate`], [`Node::clear_immediate`],
//! [`Node::next_tick`], [`Node::queue_microtask`]. Each callback gets `&mut Node` and may
//! schedule more. Underneath, as in Node: immediates are a check handle plus an idle handle that
//! keeps the poll phase from blocking; timers are lists by delay behind one loop timer; sockets
//! are I/O watchers; `'close'` events are close callbacks.

pub mod immediates;
pub mod node;
pub mod timers;

pub use immediates::Immediate;
pub use node::{DrainPoint, Node, NodeState, Task};
pub use timers::{TIMEOUT_MAX, Timeout, node_delay};
pub mod bench;
pub mod puzzles;
