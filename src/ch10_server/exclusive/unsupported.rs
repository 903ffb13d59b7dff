//! Elsewhere: there is no `EPOLLEXCLUSIVE`.

use std::io;
use std::os::fd::{BorrowedFd, OwnedFd};

/// Fails: `EPOLLEXCLUSIVE` is Linux's.
pub fn exclusive_epoll(_listener: &OwnedFd) -> io::Result<OwnedFd> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "EPOLLEXCLUSIVE needs Linux's epoll",
    ))
}

/// Nothing to drain.
pub fn drain_exclusive_epoll(_epfd: BorrowedFd<'_>) {}
