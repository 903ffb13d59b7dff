//! A safe `fd_set`: a fixed bitmap of `FD_SETSIZE` bits that refuses fds it cannot hold.

use std::fmt;
use std::io;
use std::os::fd::RawFd;

/// How many fds an `fd_set` can hold: fds `0..FD_SETSIZE`.
pub const FD_SETSIZE: usize = libc::FD_SETSIZE;

/// A set of file descriptors for [`select`](super::select()).
pub struct FdSet {
    /// The C bitmap, always initialised (`FD_ZERO`).
    raw: libc::fd_set,
}

/// An fd too large for an `fd_set`: `FD_SET` on it would write past the end of the bitmap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FdTooLarge {
    /// The fd that did not fit.
    pub fd: RawFd,
}

impl fmt::Display for FdTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "fd {} does not fit in an fd_set (FD_SETSIZE is {FD_SETSIZE})",
            self.fd
        )
    }
}

impl std::error::Error for FdTooLarge {}

impl From<FdTooLarge> for io::Error {
    fn from(e: FdTooLarge) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidInput, e)
    }
}

fn fits(fd: RawFd) -> bool {
    fd >= 0 && (fd as usize) < FD_SETSIZE
}

impl FdSet {
    /// An empty set.
    pub fn new() -> FdSet {
        // SAFETY: all-zero is a valid fd_set; FD_ZERO then clears it the official way.
        let mut raw: libc::fd_set = unsafe { std::mem::zeroed() };
        // SAFETY: `raw` is a valid, writable fd_set.
        unsafe { libc::FD_ZERO(&mut raw) };
        FdSet { raw }
    }

    /// Adds `fd`, or refuses it if it is negative or `>= FD_SETSIZE`.
    pub fn insert(&mut self, fd: RawFd) -> Result<(), FdTooLarge> {
        if !fits(fd) {
            return Err(FdTooLarge { fd });
        }
        // SAFETY: `fd` is in `0..FD_SETSIZE`, so the bit is inside the bitmap.
        unsafe { libc::FD_SET(fd, &mut self.raw) };
        Ok(())
    }

    /// Removes `fd` (nothing happens for an fd the set cannot hold).
    pub fn remove(&mut self, fd: RawFd) {
        if fits(fd) {
            // SAFETY: `fd` is in `0..FD_SETSIZE`, so the bit is inside the bitmap.
            unsafe { libc::FD_CLR(fd, &mut self.raw) };
        }
    }

    /// Whether `fd` is in the set (`false` for an fd the set cannot hold).
    pub fn contains(&self, fd: RawFd) -> bool {
        // SAFETY: `fd` is in `0..FD_SETSIZE`, so the bit is inside the bitmap.
        fits(fd) && unsafe { libc::FD_ISSET(fd, &self.raw) }
    }

    /// The C bitmap, for `select(2)`.
    pub fn as_raw_mut(&mut self) -> *mut libc::fd_set {
        &mut self.raw
    }
}

impl Default for FdSet {
    fn default() -> Self {
        FdSet::new()
    }
}
