//! Chapter 7: the phases of libuv.
//!
//! The loop of chapters 5 and 6, grown into the one inside Node.js: libuv's `uv_run` as of
//! libuv 1.45. One turn runs, in order:
//!
//! 1. **pending**: callbacks deferred to this turn;
//! 2. **idle** and 3. **prepare** handles;
//! 4. **poll**: wait for I/O (for a timeout computed by [`Loop::poll_timeout`]) and run the I/O
//!    callbacks; then pending callbacks again, a bounded number of times;
//! 5. **check** handles;
//! 6. **closing**: the close callbacks of handles closed this turn;
//! 7. update the loop time, and run the due **timers**.
//!
//! [`RunMode::Default`] also runs the due timers once before the first turn, which keeps the
//! older "timers first" order for a program's first timers.
//!
//! Handles (timers, idle, prepare, check, I/O watchers) live in a slab inside the loop and are
//! named by a copyable [`Handle`]; callbacks receive `&mut Loop`, so they may start, stop and
//! close any handle, themselves included. A phase never runs callbacks while iterating a list a
//! callback could change: it copies the list first and checks each handle again before calling it.

pub mod event_loop;
pub mod handle;
pub mod handles;
pub mod poll;
pub mod trace;

#[cfg(test)]
mod tests;

pub use event_loop::{Loop, RunMode};
pub(crate) use handle::LoopId;
pub use handle::{Callback, CloseCallback, Handle, IoCallback, PendingCallback};
pub use poll::{MAX_EVENTS, MAX_WAITS, timeout_ms};
pub use trace::{Phase, Span, Trace};
pub mod demo;
