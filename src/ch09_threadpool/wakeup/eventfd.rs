//! Linux: an `eventfd(2)`, a 64-bit counter in the kernel that reads as "readable" while it is
//! not zero. A wake adds 1 to it with one `write`; draining reads it back and resets it to 0 with
//! one `read`. One fd where a pipe needs two, and it can never fill up.

use super::{ignore_eagain, retry_eintr};
use crate::sys::ok_or_errno;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// An eventfd, non-blocking and close-on-exec.
#[derive(Debug)]
pub struct EventFd {
    /// The counter's fd: written by [`wake`](Self::wake), read by [`drain`](Self::drain).
    fd: OwnedFd,
}

impl EventFd {
    /// A new eventfd whose counter starts at 0 (not readable).
    pub fn new() -> io::Result<EventFd> {
        // SAFETY: plain integer arguments; no pointers.
        let fd = ok_or_errno(unsafe { libc::eventfd(0, libc::EFD_CLOEXEC | libc::EFD_NONBLOCK) })?;
        // SAFETY: `fd` was just returned by eventfd(2), is open, and nothing else owns it.
        let fd = unsafe { OwnedFd::from_raw_fd(fd) };
        Ok(EventFd { fd })
    }

    /// The fd the loop watches for readability.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }

    // ANCHOR: wake
    /// Adds 1 to the counter, making the fd readable. Safe to call from any thread. `EAGAIN`
    /// (the counter is at its maximum, 2^64 - 2) means it is readable already: success.
    pub fn wake(&self) -> io::Result<()> {
        let one: u64 = 1;
        ignore_eagain(retry_eintr(|| {
            // SAFETY: `one` is a valid u64 for the duration of the call; eventfd takes exactly 8
            // bytes.
            unsafe { libc::write(self.fd.as_raw_fd(), (&one as *const u64).cast(), 8) }
        }))
    }
    // ANCHOR_END: wake

    /// Reads the counter and resets it to 0: returns how many wakes were made since the last
    /// drain (0 if none: `EAGAIN`).
    pub fn drain(&self) -> io::Result<u64> {
        let mut count: u64 = 0;
        let read = retry_eintr(|| {
            // SAFETY: `count` is a valid, writable u64 for the duration of the call.
            unsafe { libc::read(self.fd.as_raw_fd(), (&mut count as *mut u64).cast(), 8) }
        });
        match read {
            Ok(_) => Ok(count),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
            Err(e) => Err(e),
        }
    }
}
