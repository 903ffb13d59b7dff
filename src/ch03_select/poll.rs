//! `poll(2)`: `select`'s sequel, without the bitmap and without its limit.
//!
//! ```text
//! struct pollfd { int fd; short events; short revents; };
//! int poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);
//! ```
//!
//! Instead of three fixed-size bitmaps indexed by fd, the caller passes an array with one
//! `pollfd` per descriptor it cares about: any fd number works, so `FD_SETSIZE` is gone. The
//! kernel writes the answer into `revents` and leaves `fd` and `events` alone, so the array need
//! not be rebuilt every turn. The cost is still O(n): the kernel walks the whole array on every
//! call, ready or not (chapter 6's epoll and kqueue fix that).
//!
//! `revents` can also hold bits nobody asked for: `POLLHUP` (the peer hung up), `POLLERR` (an
//! error is pending) and `POLLNVAL` (the fd is not open). A negative `fd` is skipped.
//!
//! # `EINTR`
//!
//! As with [`select`](super::select()), a signal makes `poll` fail with `EINTR`, passed up as
//! [`io::ErrorKind::Interrupted`].

use crate::sys::ok_or_errno;
use std::io;
use std::os::fd::RawFd;
use std::time::Duration;

// ANCHOR: poll
/// One entry of the array `poll` takes: watch `fd` for `events` (`POLLIN`, `POLLOUT`).
pub fn pollfd(fd: RawFd, events: libc::c_short) -> libc::pollfd {
    libc::pollfd {
        fd,
        events,
        revents: 0,
    }
}

/// Waits until an entry of `fds` is ready or `timeout` passes (`None`: for ever). Fills in each
/// entry's `revents` and returns how many entries have a non-zero `revents`.
pub fn poll(fds: &mut [libc::pollfd], timeout: Option<Duration>) -> io::Result<usize> {
    // SAFETY: `fds` points to `fds.len()` initialised pollfd structs that the kernel may write
    // `revents` into for the duration of the call.
    let n = ok_or_errno(unsafe {
        libc::poll(
            fds.as_mut_ptr(),
            fds.len() as libc::nfds_t,
            timeout_ms(timeout),
        )
    })?;
    Ok(n as usize)
}

/// `poll`'s timeout in milliseconds: `-1` for none, sub-millisecond waits rounded *up* (a 0.4 ms
/// wait must not become a busy loop of 0 ms), clamped to `c_int::MAX`.
fn timeout_ms(timeout: Option<Duration>) -> libc::c_int {
    match timeout {
        None => -1,
        Some(d) => {
            let ms = d.as_nanos().div_ceil(1_000_000);
            ms.min(libc::c_int::MAX as u128) as libc::c_int
        }
    }
}
// ANCHOR_END: poll

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch03_select::FdSet;
    use crate::sys::limits::raise_fd_limit;
    use std::os::fd::{AsFd, AsRawFd, FromRawFd, OwnedFd};

    /// A pipe as two owned fds (std's `io::pipe` creates them close-on-exec, on every Unix).
    fn pipe() -> (OwnedFd, OwnedFd) {
        let (reader, writer) = std::io::pipe().unwrap();
        (reader.into(), writer.into())
    }

    #[test]
    fn timeouts_round_up_and_clamp() {
        assert_eq!(timeout_ms(None), -1);
        assert_eq!(timeout_ms(Some(Duration::ZERO)), 0);
        assert_eq!(timeout_ms(Some(Duration::from_micros(400))), 1);
        assert_eq!(timeout_ms(Some(Duration::from_millis(1500))), 1500);
        assert_eq!(timeout_ms(Some(Duration::MAX)), libc::c_int::MAX);
    }

    // ANCHOR: poll_past_fd_setsize
    #[test]
    fn poll_watches_an_fd_that_select_cannot() {
        let limit = raise_fd_limit(4096).unwrap();
        if limit.soft < 2100 {
            eprintln!("skipped: the fd limit ({}) is too low to test", limit.soft);
            return;
        }
        let (r, w) = pipe();
        // Move the read end above FD_SETSIZE: F_DUPFD_CLOEXEC gives the lowest free fd >= 2000.
        // SAFETY: F_DUPFD_CLOEXEC duplicates an open fd; the new fd is ours alone.
        let high = unsafe {
            OwnedFd::from_raw_fd(
                ok_or_errno(libc::fcntl(r.as_raw_fd(), libc::F_DUPFD_CLOEXEC, 2000)).unwrap(),
            )
        };
        assert!(high.as_raw_fd() >= 2000);
        assert!(
            FdSet::new().insert(high.as_raw_fd()).is_err(),
            "select cannot hold it"
        );

        let mut fds = [pollfd(high.as_raw_fd(), libc::POLLIN)];
        assert_eq!(poll(&mut fds, Some(Duration::ZERO)).unwrap(), 0);
        crate::sys::net::write(w.as_fd(), b"x").unwrap();
        assert_eq!(poll(&mut fds, Some(Duration::from_secs(5))).unwrap(), 1);
        assert_eq!(fds[0].revents & libc::POLLIN, libc::POLLIN);
    }
    // ANCHOR_END: poll_past_fd_setsize

    #[test]
    fn a_closed_writer_is_pollhup_and_a_closed_fd_is_pollnval() {
        let (r, w) = pipe();
        drop(w);
        let mut fds = [pollfd(r.as_raw_fd(), libc::POLLIN)];
        assert_eq!(poll(&mut fds, Some(Duration::ZERO)).unwrap(), 1);
        assert_ne!(fds[0].revents & libc::POLLHUP, 0);
        let fd = r.as_raw_fd();
        drop(r);
        let mut fds = [pollfd(fd, libc::POLLIN), pollfd(-1, libc::POLLIN)];
        assert_eq!(poll(&mut fds, Some(Duration::ZERO)).unwrap(), 1);
        assert_eq!(fds[0].revents, libc::POLLNVAL);
        assert_eq!(fds[1].revents, 0, "a negative fd is skipped");
    }
}
