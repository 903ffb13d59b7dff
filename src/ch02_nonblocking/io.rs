//! One step of non-blocking I/O: a read that may find nothing, and a write that may take only part.

use crate::sys::net;
use std::io;
use std::os::fd::BorrowedFd;

/// What one non-blocking `read` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadOutcome {
    /// This many bytes were read into the buffer.
    Data(usize),
    /// Nothing to read now (`EAGAIN`): try again on a later turn.
    Nothing,
    /// The peer closed its side: no more bytes will ever come.
    Eof,
}

// ANCHOR: try_read
/// Reads once from a non-blocking socket and says what happened.
///
/// `EAGAIN` (Rust calls it [`io::ErrorKind::WouldBlock`]; `EWOULDBLOCK` is the same number on
/// Linux) is not a failure: it is the kernel saying "nothing yet". `EINTR` is folded into it as
/// well: a non-blocking call hardly ever sleeps long enough to be interrupted, and if it was, the
/// loop will be back on its next turn, after checking the stop flag. Every other error (for
/// example `ECONNRESET`) is returned.
///
/// `buf` must not be empty: a zero-length read returns 0, which would look like end of file.
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
// ANCHOR_END: try_read

/// How far [`flush_pending`] got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flushed {
    /// Everything pending was written; the buffer is empty.
    All,
    /// The socket's send buffer is full (`EAGAIN`); the rest is still pending.
    Partly,
}

// ANCHOR: flush_pending
/// Writes as much of `pending` as the socket takes now, and removes what was written.
///
/// A non-blocking `write` takes what fits in the kernel's send buffer and returns that count, which
/// may be less than asked (a short write), or fails with `EAGAIN` when nothing fits. Either way
/// the rest must wait for a later turn, when the peer has read some and made room. So we write
/// until everything is gone or the kernel says `EAGAIN`, and never wait: this returns after at most
/// a few calls, whatever the peer does.
pub fn flush_pending(fd: BorrowedFd<'_>, pending: &mut Vec<u8>) -> io::Result<Flushed> {
    let mut written = 0;
    let outcome = loop {
        if written == pending.len() {
            break Ok(Flushed::All);
        }
        match net::write(fd, &pending[written..]) {
            // A socket never takes 0 bytes of a non-empty buffer, but if one did, looping on it
            // would spin: treat it as full.
            Ok(0) => break Ok(Flushed::Partly),
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => break Ok(Flushed::Partly),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => break Err(e),
        }
    };
    // Keep the unwritten tail, at the front. (`drain` moves it: fine for a buffer capped at a few
    // tens of KiB; chapter 10 uses a ring buffer.)
    pending.drain(..written);
    outcome
}
// ANCHOR_END: flush_pending
