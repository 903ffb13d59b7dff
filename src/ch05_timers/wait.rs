//! The loop's way of sleeping: `poll(2)` on the fds it watches, for at most the timeout the
//! nearest timer allows.
//!
//! ```text
//! int poll(struct pollfd *fds, nfds_t nfds, int timeout);
//! ```
//!
//! `poll` fills each entry's `revents` and returns how many entries have one, `0` when the
//! timeout passed first, `-1` on error: `EINTR` (a signal arrived), `EINVAL` (`nfds` above
//! `RLIMIT_NOFILE`), `ENOMEM`. The kernel rounds the timeout *up* to its clock's granularity, so
//! poll never returns early because of the timeout. An fd that is closed gives `POLLNVAL` instead
//! of undefined behaviour. Chapter 6 replaces this with `epoll`.

use crate::sys::ok_or_errno;
use std::io;

// ANCHOR: poll
/// Waits until an entry of `fds` is ready or `timeout_ms` passes (`-1`: no limit, `0`: do not
/// block), and returns how many entries have `revents` set. With no fds at all this is simply a
/// sleep that a signal can interrupt.
///
/// `EINTR` comes back as [`io::ErrorKind::Interrupted`]; the loop decides what it means.
pub fn poll(fds: &mut [libc::pollfd], timeout_ms: libc::c_int) -> io::Result<usize> {
    let nfds = libc::nfds_t::try_from(fds.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too many fds for poll"))?;
    // SAFETY: `fds` points to `nfds` valid, writable pollfd entries for the whole call (an empty
    // slice gives a dangling but never-dereferenced pointer with nfds = 0).
    let ready = ok_or_errno(unsafe { libc::poll(fds.as_mut_ptr(), nfds, timeout_ms) })?;
    Ok(ready as usize)
}
// ANCHOR_END: poll

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn with_no_fds_it_sleeps_for_the_timeout() {
        let start = Instant::now();
        assert_eq!(poll(&mut [], 20).unwrap(), 0);
        assert!(start.elapsed() >= Duration::from_millis(20));
    }

    #[test]
    fn a_closed_fd_is_reported_not_undefined() {
        let mut fds = [libc::pollfd {
            fd: 1_000_000,
            events: libc::POLLIN,
            revents: 0,
        }];
        // An fd number that is not open: poll reports POLLNVAL for it (or EINVAL when the number
        // is above the fd limit); either way a clear answer.
        match poll(&mut fds, 0) {
            Ok(n) => {
                assert_eq!(n, 1);
                assert_ne!(fds[0].revents & libc::POLLNVAL, 0);
            }
            Err(e) => assert_eq!(e.raw_os_error(), Some(libc::EINVAL)),
        }
    }
}
