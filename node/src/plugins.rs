//! Three decisions of the runtime are plain functions over small traits, so that chapter 11's
//! exercises can write them again and run real JavaScript programs with their own version:
//!
//! - [`MicrotaskQueues`] and the drain after every callback ([`crate::checkpoint::drain`]);
//! - [`Program`] and the end of a program: `'beforeExit'`, `'exit'`, `process.exit()`
//!   ([`crate::runner::run_to_the_end`]);
//! - [`SocketReader`] and one readable event on a socket ([`crate::bindings::net`]'s
//!   `read_some`).
//!
//! [`Plugins`] holds the three functions a run uses; [`Plugins::default`] is the runtime's own.

use std::cell::Cell;
use std::io;

/// The queues the drain works on: the nextTick queue (in JavaScript), the engine's job queue
/// (promise reactions, `queueMicrotask`), and the promises rejected with no handler.
pub trait MicrotaskQueues {
    /// Whether the nextTick queue has something.
    fn tick_scheduled(&self) -> bool;
    /// Runs every queued tick, those queued meanwhile included. `Err` if one threw (already
    /// reported as uncaught): the rest waits for the next drain.
    fn run_ticks(&mut self) -> Result<(), Thrown>;
    /// Runs the next engine job; `false` if there was none.
    fn run_job(&mut self) -> bool;
    /// Whether a promise was rejected with no handler since the last
    /// [`process_rejections`](Self::process_rejections).
    fn rejection_to_warn(&self) -> bool;
    /// Emits `'unhandledRejection'` (or throws, Node 20's default) for each; `Ok(true)` if it
    /// ran any JavaScript, which may have queued more.
    fn process_rejections(&mut self) -> Result<bool, Thrown>;
    /// `process.exit()` was called: stop at once.
    fn exiting(&self) -> bool;
}

/// A callback threw; the exception has been reported (`'uncaughtException'` or the end).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thrown;

/// A program from its main module on: what the end of a run needs.
pub trait Program {
    /// Runs the loop until nothing keeps it alive (or `process.exit()`).
    fn run_loop(&mut self) -> io::Result<()>;
    /// Whether anything keeps the loop alive.
    fn alive(&self) -> bool;
    /// Emits `'beforeExit'` and drains the queues after it.
    fn emit_before_exit(&mut self);
    /// Emits `'exit'` and returns the exit code (`process.exitCode`, or 0).
    fn emit_exit(&mut self) -> i32;
    /// The exit code `process.exit()` (or a fatal exception) asked for, if any.
    fn exit_requested(&self) -> Option<i32>;
}

/// A readable socket, as one readable event sees it.
pub trait SocketReader {
    /// Reads into `buf` (`read(2)`): `Ok(0)` is end of file, `WouldBlock` means no more now.
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize>;
    /// Whether JavaScript still reads from it (a callback may have stopped or closed it).
    fn reading(&self) -> bool;
    /// Hands a chunk to JavaScript (`'data'`), then drains the queues.
    fn data(&mut self, chunk: &[u8]);
    /// End of file: stop reading and tell JavaScript (`'end'` follows on a tick).
    fn end_of_file(&mut self);
    /// A read error: stop reading and tell JavaScript (the socket is destroyed with it).
    fn error(&mut self, error: io::Error);
}

/// The three functions a run uses.
#[derive(Clone, Copy)]
pub struct Plugins {
    /// The drain after every callback.
    pub drain: fn(&mut dyn MicrotaskQueues),
    /// The end of a program.
    pub run_to_the_end: fn(&mut dyn Program) -> io::Result<i32>,
    /// One readable event on a socket.
    pub read_some: fn(&mut dyn SocketReader),
}

impl Default for Plugins {
    fn default() -> Plugins {
        Plugins {
            drain: crate::checkpoint::drain,
            run_to_the_end: crate::runner::run_to_the_end,
            read_some: crate::bindings::net::read_some,
        }
    }
}

thread_local! {
    static ACTIVE: Cell<Option<Plugins>> = const { Cell::new(None) };
}

/// Makes `plugins` the ones of this thread's run.
pub(crate) fn install(plugins: Plugins) {
    ACTIVE.set(Some(plugins));
}

/// The plugins of this thread's run.
pub(crate) fn active() -> Plugins {
    ACTIVE.get().unwrap_or_default()
}
