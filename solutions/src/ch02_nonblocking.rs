//! # Chapter 2 exercises: one step of non-blocking I/O
//!
//! On a socket in `O_NONBLOCK` mode nothing waits: a `read` with nothing to read and a `write`
//! with no room fail at once with `EAGAIN` (Rust: [`io::ErrorKind::WouldBlock`]). The two
//! functions here are what chapter 2's busy loop does with each client on each turn.
//!
//! Check your work with `cargo test -p exercises-ch02`; the book's page is
//! `book/src/ch02-nonblocking.md`, section "Exercises".

// Unused until you write the exercises; the `allow` keeps the untouched stubs warning-free.
#[allow(unused_imports)]
use eventloops::sys::net;
use std::io;
use std::os::fd::BorrowedFd;

pub use eventloops::ch02_nonblocking::io::{Flushed, ReadOutcome};

/// Exercise ch02.1: reads once from a non-blocking socket and says what happened.
///
/// * some bytes: [`ReadOutcome::Data`] with the count;
/// * `read` returned 0: [`ReadOutcome::Eof`] (the peer closed its side);
/// * `EAGAIN` ([`io::ErrorKind::WouldBlock`]) or `EINTR` ([`io::ErrorKind::Interrupted`]):
///   [`ReadOutcome::Nothing`], try again later;
/// * any other error (for example `ECONNRESET`): returned.
pub fn try_read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<ReadOutcome> {
    match net::read(fd, buf) {
        Ok(0) => Ok(ReadOutcome::Eof),
        Ok(n) => Ok(ReadOutcome::Data(n)),
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
            ) =>
        {
            Ok(ReadOutcome::Nothing)
        }
        Err(e) => Err(e),
    }
}

/// Exercise ch02.2: writes as much of `pending` as the socket takes now, and removes what was
/// written from the front of `pending`.
///
/// Returns [`Flushed::All`] once `pending` is empty, [`Flushed::Partly`] when `write` fails with
/// `EAGAIN` (the send buffer is full) and bytes remain. It must never wait or spin: on `EAGAIN`,
/// stop. Retry on `EINTR`; return any other error (for example `EPIPE`).
// A `Vec`, not a slice: the function removes the bytes it wrote (`Vec::drain`).
#[allow(clippy::ptr_arg)]
pub fn flush_pending(fd: BorrowedFd<'_>, pending: &mut Vec<u8>) -> io::Result<Flushed> {
    let mut written = 0;
    let outcome = loop {
        if written == pending.len() {
            break Ok(Flushed::All);
        }
        match net::write(fd, &pending[written..]) {
            Ok(0) => break Ok(Flushed::Partly),
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break Ok(Flushed::Partly),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(e),
        }
    };
    pending.drain(..written);
    outcome
}
