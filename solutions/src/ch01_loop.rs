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
    let mut rest = buf;
    while !rest.is_empty() {
        if should_stop() {
            return Err(io::Error::new(io::ErrorKind::Interrupted, "told to stop"));
        }
        match net::write(fd, rest) {
            Ok(n) => rest = &rest[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Exercise ch01.2: echoes everything `conn` sends back to it, until end of file.
///
/// Returns [`Echoed::PeerClosed`] with the number of bytes echoed when `read` returns 0. Before
/// each `read`, and when `read` fails with `EINTR` (a signal woke it), asks `should_stop()`: if
/// true, returns [`Echoed::Stopped`] with the count so far; if false, goes on (reads again). The
/// echo hands the same `should_stop` to [`write_all`], and its `Interrupted` error means
/// `Stopped` too. Any other error is returned.
pub fn echo(conn: BorrowedFd<'_>, should_stop: &dyn Fn() -> bool) -> io::Result<Echoed> {
    let mut buf = [0u8; BUF_SIZE];
    let mut total = 0u64;
    loop {
        // Asked before every read, including the one after a read that a signal interrupted.
        if should_stop() {
            return Ok(Echoed::Stopped(total));
        }
        match net::read(conn, &mut buf) {
            Ok(0) => return Ok(Echoed::PeerClosed(total)),
            Ok(n) => match write_all(conn, &buf[..n], should_stop) {
                Ok(()) => total += n as u64,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    return Ok(Echoed::Stopped(total));
                }
                Err(e) => return Err(e),
            },
            // A signal woke us: go round, and the check above decides.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
