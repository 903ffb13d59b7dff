//! # Chapter 1 exercises: the blocking echo
//!
//! The heart of chapter 1's server is two loops on a blocking socket: sending a whole buffer
//! (the kernel may take only part of it), and echoing a connection until the client hangs up.
//! The system calls are ready for you in `eventloops::sys::net` (`read`, `write`).
//!
//! Check your work with `cargo test -p exercises-ch01`; the book's page is
//! `book/src/ch01-loop.md`, section "Exercises".

// Unused until you write the exercises; the `allow` keeps the untouched stubs warning-free.
#[allow(unused_imports)]
use eventloops::sys::net;
use std::io;
use std::os::fd::BorrowedFd;

pub use eventloops::ch01_loop::echo::Echoed;

/// The buffer size for one `read` in [`echo`].
pub const BUF_SIZE: usize = 4096;

/// Exercise ch01.1: writes all of `buf` to a blocking socket, unless told to stop.
///
/// `net::write(fd, bytes)` returns how many bytes the kernel took. On a blocking socket that is
/// usually all of them, but a signal arriving mid-write makes it return early with fewer (a short
/// write), or fail with [`io::ErrorKind::Interrupted`] (`EINTR`) if it had taken none yet.
/// Before every `write`, asks `should_stop()`: if true, returns an error of kind
/// [`io::ErrorKind::Interrupted`] (that is how Ctrl-C stops a write blocked on a client that
/// never reads); otherwise writes on. Other errors (`EPIPE`: the peer has gone) are returned to
/// the caller.
pub fn write_all(fd: BorrowedFd<'_>, buf: &[u8], should_stop: &dyn Fn() -> bool) -> io::Result<()> {
    // TODO: call `net::write` until every byte of `buf` is written. Ask `should_stop()` before
    // each call (true: return an `Interrupted` error). After a short write, go on with the rest;
    // on `EINTR`, go round (the check decides); return any other error.
    todo!("ch01.1: write all of buf unless told to stop, going on after short writes and EINTR")
}

/// Exercise ch01.2: echoes everything `conn` sends back to it, until end of file.
///
/// Returns [`Echoed::PeerClosed`] with the number of bytes echoed when `read` returns 0. Before
/// each `read`, and when `read` fails with `EINTR` (a signal woke it), asks `should_stop()`: if
/// true, returns [`Echoed::Stopped`] with the count so far; if false, goes on (reads again). The
/// echo hands the same `should_stop` to [`write_all`], and its `Interrupted` error means
/// `Stopped` too. Any other error is returned.
pub fn echo(conn: BorrowedFd<'_>, should_stop: &dyn Fn() -> bool) -> io::Result<Echoed> {
    // TODO: loop: ask `should_stop()`; `net::read` into a `[0u8; BUF_SIZE]` buffer; 0 means end
    // of file; otherwise `write_all` what you read (with the same `should_stop`) and count it;
    // if `write_all` says `Interrupted`, you were told to stop. Handle `EINTR` as the doc
    // comment says.
    todo!("ch01.2: echo the connection until end of file")
}
