//! Elsewhere: there is no `EPOLLEXCLUSIVE`.

use std::io;
use std::os::fd::OwnedFd;

/// Fails: `EPOLLEXCLUSIVE` is Linux's.
pub fn exclusive_epoll(_listener: &OwnedFd) -> io::Result<OwnedFd> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "EPOLLEXCLUSIVE needs Linux's epoll",
    ))
}
