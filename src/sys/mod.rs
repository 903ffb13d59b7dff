//! The thin layer between the book's code and `libc`, shared by every chapter.
//!
//! Three rules hold everywhere in this module, so the chapters need not repeat them:
//!
//! * **Errors.** A system call that returns `-1` becomes `Err(io::Error::last_os_error())`
//!   through [`ok_or_errno`]; nothing else turns errno into a Rust value.
//! * **Ownership.** A new file descriptor becomes an [`OwnedFd`](std::os::fd::OwnedFd) on the line
//!   that creates it, so it is closed exactly once, when its owner is dropped. Everything that only
//!   uses an fd takes a [`BorrowedFd`](std::os::fd::BorrowedFd).
//! * **`CLOEXEC`.** Every fd is created close-on-exec, so a program that spawns another does not
//!   leak its sockets into the child.
//!
//! # `EINTR`
//!
//! This layer never retries a call that failed with `EINTR`: it hands
//! [`ErrorKind::Interrupted`](std::io::ErrorKind::Interrupted) up unchanged. The chapter programs
//! install their Ctrl-C handler without `SA_RESTART` (see [`signal`]) precisely so that a blocking
//! `accept`, `read` or `select` wakes up, and each loop decides in one place what an interruption
//! means: look at the stop flag, then go round again.
//!
//! # `SIGPIPE`
//!
//! Writing to a socket whose peer has gone raises `SIGPIPE`, whose default action kills the
//! process. Rust's runtime sets `SIGPIPE` to "ignore" before `main` runs, so here such a write
//! fails with `EPIPE` ([`ErrorKind::BrokenPipe`](std::io::ErrorKind::BrokenPipe)) instead. A C
//! server has to do that itself (`signal(SIGPIPE, SIG_IGN)` or `MSG_NOSIGNAL`).

pub mod limits;
pub mod net;
pub mod pipe;
pub mod signal;

use std::io;

/// A raw return value of a system call that reports failure as `-1`.
pub trait SyscallReturn: Copy + PartialEq {
    /// The failure value, `-1` in the call's own integer type.
    const MINUS_ONE: Self;
}

impl SyscallReturn for i32 {
    const MINUS_ONE: Self = -1;
}

impl SyscallReturn for i64 {
    const MINUS_ONE: Self = -1;
}

impl SyscallReturn for isize {
    const MINUS_ONE: Self = -1;
}

/// Turns the return value of a system call into a `Result`: `-1` becomes the thread's `errno` as
/// an [`io::Error`], anything else is the call's result.
///
/// The call itself stays at the call site, inside an `unsafe` block with a `// SAFETY:` comment
/// that says why that particular call is sound:
///
/// ```
/// use eventloops::sys::ok_or_errno;
/// // SAFETY: `getpid` takes no arguments and cannot fail.
/// let pid = ok_or_errno(unsafe { libc::getpid() })?;
/// assert!(pid > 0);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn ok_or_errno<T: SyscallReturn>(ret: T) -> io::Result<T> {
    if ret == T::MINUS_ONE {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minus_one_becomes_the_errno() {
        // SAFETY: closing an fd that cannot be open (-1) only sets errno to EBADF.
        let err = ok_or_errno(unsafe { libc::close(-1) }).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn other_values_pass_through() {
        assert_eq!(ok_or_errno(0_i32).unwrap(), 0);
        assert_eq!(ok_or_errno(42_isize).unwrap(), 42);
    }
}
