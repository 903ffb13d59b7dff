//! Chapter 11 exercises: three decisions of a JavaScript runtime on the book's loop. Each
//! function is swapped into `eventloops-node` by the tests, which then run real Node programs
//! from `tests/node-ordering/` (real promises, real sockets) and compare what they print with
//! what Node printed.
//!
//! Read `book/src/ch11-node.md` first. Check your work with `cargo test -p exercises-ch11`.

use eventloops_node::{MicrotaskQueues, Program, SocketReader};
use std::io;

/// Exercise ch11.1: the drain that runs after every callback (Node's
/// `processTicksAndRejections`).
pub fn drain(q: &mut dyn MicrotaskQueues) {
    // TODO: loop: if a tick is scheduled, run the ticks (if that returns Err, a tick threw:
    // stop here, the rest waits for the next drain); then run engine jobs while there are some
    // (stop at once if q.exiting()); then, if a rejection is waiting, process the rejections
    // (Err: stop; Ok(ran): remember it). Go round again if a tick is scheduled or the rejections
    // ran JavaScript; otherwise (or when exiting) return.
    todo!("ch11.1: ticks, then engine jobs, then unhandled rejections, until nothing is left")
}

/// Exercise ch11.2: the end of a program, after its main module (Node's `SpinEventLoop`).
pub fn run_to_the_end(program: &mut dyn Program) -> io::Result<i32> {
    // TODO: loop: run the loop; emit 'beforeExit'; stop looping if nothing is alive any more.
    // Before and after each step, if program.exit_requested() gives a code, return it at once
    // (process.exit(): nothing else runs, not even 'beforeExit'). After the loop, emit 'exit'
    // and return its code, unless an 'exit' listener called process.exit() (then that code).
    todo!("ch11.2: run, beforeExit, again while alive, then exit; process.exit() wins")
}

/// Exercise ch11.3: one readable event on a socket (libuv's `uv__read`).
pub fn read_some(socket: &mut dyn SocketReader) {
    // TODO: with a 64 KiB buffer, at most 32 times: stop if !socket.reading(); read; Ok(0) is
    // end of file (socket.end_of_file(), stop); Ok(n) hands &buf[..n] to socket.data() and
    // stops after a short read (n < buffer size); WouldBlock stops; Interrupted tries again;
    // any other error goes to socket.error(), and stops.
    todo!("ch11.3: read until a short read, end of file, an error or nothing more")
}
