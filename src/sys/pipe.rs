//! A pipe whose two ends are non-blocking and close-on-exec: the self-pipe that wakes a loop
//! (chapter 9's portable wakeup, and its signal handle).
//!
//! # Portability
//!
//! `pipe2(2)` sets both flags in the call that makes the pipe on Linux and most BSDs. macOS has
//! no `pipe2`, so there the flags are set with `fcntl(2)` right after `pipe(2)` (a program that
//! forks from another thread in between could leak the fds into the child; the book's do not).

use super::ok_or_errno;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd};

/// A new pipe: `(read end, write end)`, both non-blocking and close-on-exec.
pub fn nonblocking_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [-1 as libc::c_int; 2];
    make_pipe(&mut fds)?;
    // SAFETY: the call above succeeded, so both fds are open and nothing else owns them.
    let ends = unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) };
    finish_flags(&ends)?;
    Ok(ends)
}

#[cfg(not(any(target_os = "macos", target_os = "ios")))]
fn make_pipe(fds: &mut [libc::c_int; 2]) -> io::Result<()> {
    // SAFETY: `fds` points to two writable c_ints, as pipe2 requires.
    ok_or_errno(unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC | libc::O_NONBLOCK) })?;
    Ok(())
}

#[cfg(not(any(target_os = "macos", target_os = "ios")))]
fn finish_flags(_ends: &(OwnedFd, OwnedFd)) -> io::Result<()> {
    Ok(()) // pipe2 set them already
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn make_pipe(fds: &mut [libc::c_int; 2]) -> io::Result<()> {
    // SAFETY: `fds` points to two writable c_ints, as pipe requires.
    ok_or_errno(unsafe { libc::pipe(fds.as_mut_ptr()) })?;
    Ok(())
}

#[cfg(any(target_os = "macos", target_os = "ios"))]
fn finish_flags(ends: &(OwnedFd, OwnedFd)) -> io::Result<()> {
    use std::os::fd::AsRawFd;
    for fd in [&ends.0, &ends.1] {
        // SAFETY: F_SETFD on an open fd with an int argument takes no pointer.
        ok_or_errno(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
        super::net::set_nonblocking(std::os::fd::AsFd::as_fd(fd), true)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsRawFd;

    #[test]
    fn both_ends_are_nonblocking_and_cloexec() {
        let (r, w) = nonblocking_pipe().unwrap();
        for fd in [&r, &w] {
            // SAFETY: F_GETFL/F_GETFD on an open fd take no pointer.
            let fl = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) };
            // SAFETY: as above.
            let fd_flags = unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFD) };
            assert_ne!(fl & libc::O_NONBLOCK, 0);
            assert_ne!(fd_flags & libc::FD_CLOEXEC, 0);
        }
        let mut byte = [0u8; 1];
        let err = crate::sys::net::read(std::os::fd::AsFd::as_fd(&r), &mut byte).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    }
}
