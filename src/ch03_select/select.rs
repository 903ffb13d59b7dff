//! `select(2)`: sleep in the kernel until one of the fds in the sets is ready, or the timeout
//! passes.
//!
//! ```text
//! int select(int nfds, fd_set *readfds, fd_set *writefds, fd_set *exceptfds,
//!            struct timeval *timeout);
//! ```
//!
//! The kernel looks at fds `0..nfds` (one past the highest fd in any set), checks each one the
//! sets name, and if none is ready puts the thread to sleep on all of them at once. When it
//! returns, it has *overwritten* each set with the subset that is ready, and returns how many
//! bits are set in all of them together. That is why a select loop rebuilds its sets every turn.
//!
//! # `EINTR`
//!
//! A signal that arrives while we sleep makes `select` fail with `EINTR`
//! ([`io::ErrorKind::Interrupted`]). This wrapper passes it up, as everything in
//! [`crate::sys`] does; the loop that calls it decides what it means.
//!
//! # Portability
//!
//! POSIX; `select(2)` on Linux and macOS. Linux writes the time *not* slept back into the
//! `timeval`; other systems leave it alone. This wrapper copies the timeout into a local, so the
//! caller never sees either behaviour.

use super::fd_set::{FD_SETSIZE, FdSet};
use crate::sys::ok_or_errno;
use std::io;
use std::ptr;
use std::time::Duration;

// ANCHOR: select
/// Waits until an fd in `read` is readable or one in `write` is writable, or `timeout` passes
/// (`None` waits for ever, `Some(Duration::ZERO)` only looks). Returns how many fds are ready;
/// the sets now hold only those. `Ok(0)` means the timeout passed.
///
/// `nfds` must be one more than the highest fd in either set. It may not exceed
/// [`FD_SETSIZE`]: the kernel would read and write that many bits, past the end of our sets.
pub fn select(
    nfds: libc::c_int,
    read: Option<&mut FdSet>,
    write: Option<&mut FdSet>,
    timeout: Option<Duration>,
) -> io::Result<usize> {
    if nfds < 0 || nfds as usize > FD_SETSIZE {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("nfds {nfds} is outside 0..={FD_SETSIZE}"),
        ));
    }
    let read = read.map_or(ptr::null_mut(), FdSet::as_raw_mut);
    let write = write.map_or(ptr::null_mut(), FdSet::as_raw_mut);
    // Linux overwrites the timeval with the time left: keep it in a local we never reuse.
    let mut tv = timeout.map(to_timeval);
    let tv_ptr = tv
        .as_mut()
        .map_or(ptr::null_mut(), |tv| tv as *mut libc::timeval);
    // SAFETY: each set pointer is null or points to a live FdSet with the size and alignment of
    // an fd_set (asserted at compile time), and the kernel touches only bits below
    // nfds <= FD_SETSIZE; `tv_ptr` is null or points to a live timeval. No exceptfds.
    let n = ok_or_errno(unsafe { libc::select(nfds, read, write, ptr::null_mut(), tv_ptr) })?;
    Ok(n as usize)
}
// ANCHOR_END: select

// ANCHOR: timeval
/// A `Duration` as a `timeval`, rounded *up* to the next microsecond so that a 0.4 µs wait does
/// not become a zero-timeout busy loop, and clamped to the largest `time_t`.
fn to_timeval(d: Duration) -> libc::timeval {
    let mut secs = d.as_secs();
    let mut micros = d.subsec_nanos().div_ceil(1000);
    if micros == 1_000_000 {
        secs = secs.saturating_add(1);
        micros = 0;
    }
    libc::timeval {
        tv_sec: secs.min(libc::time_t::MAX as u64) as libc::time_t,
        tv_usec: micros as libc::suseconds_t,
    }
}
// ANCHOR_END: timeval

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::{AsRawFd, OwnedFd};
    use std::time::Instant;

    /// A pipe as two owned fds (std's `io::pipe` creates them close-on-exec, on every Unix).
    fn pipe() -> (OwnedFd, OwnedFd) {
        let (reader, writer) = std::io::pipe().unwrap();
        (reader.into(), writer.into())
    }

    #[test]
    fn timeval_rounds_up_and_carries() {
        let tv = to_timeval(Duration::from_nanos(400));
        assert_eq!((tv.tv_sec, tv.tv_usec), (0, 1));
        let tv = to_timeval(Duration::new(2, 999_999_999));
        assert_eq!((tv.tv_sec, tv.tv_usec), (3, 0));
        let tv = to_timeval(Duration::MAX);
        assert_eq!(tv.tv_sec, libc::time_t::MAX);
    }

    #[test]
    fn a_written_pipe_is_readable_and_the_set_is_rewritten() {
        let (r, w) = pipe();
        let (r2, _w2) = pipe();
        let mut read = FdSet::new();
        read.insert(r.as_raw_fd()).unwrap();
        read.insert(r2.as_raw_fd()).unwrap();
        let nfds = r.as_raw_fd().max(r2.as_raw_fd()) + 1;
        crate::sys::net::write(std::os::fd::AsFd::as_fd(&w), b"x").unwrap();
        let n = select(nfds, Some(&mut read), None, Some(Duration::ZERO)).unwrap();
        assert_eq!(n, 1);
        assert!(read.contains(r.as_raw_fd()));
        assert!(
            !read.contains(r2.as_raw_fd()),
            "select clears the fds that are not ready"
        );
    }

    #[test]
    fn an_empty_pipe_times_out_after_about_the_timeout() {
        let (r, _w) = pipe();
        let mut read = FdSet::new();
        read.insert(r.as_raw_fd()).unwrap();
        let start = Instant::now();
        let n = select(
            r.as_raw_fd() + 1,
            Some(&mut read),
            None,
            Some(Duration::from_millis(50)),
        );
        assert_eq!(n.unwrap(), 0);
        assert!(start.elapsed() >= Duration::from_millis(45));
        assert!(read.is_empty(), "on timeout every set comes back empty");
    }

    #[test]
    fn a_pipe_with_room_is_writable() {
        let (_r, w) = pipe();
        let mut write = FdSet::new();
        write.insert(w.as_raw_fd()).unwrap();
        let n = select(w.as_raw_fd() + 1, None, Some(&mut write), None).unwrap();
        assert_eq!(n, 1);
        assert!(write.contains(w.as_raw_fd()));
    }

    #[test]
    fn a_closed_fd_in_a_set_is_ebadf() {
        let (r, w) = pipe();
        let fd = r.as_raw_fd();
        drop(r);
        drop(w);
        let mut read = FdSet::new();
        read.insert(fd).unwrap();
        let err = select(fd + 1, Some(&mut read), None, Some(Duration::ZERO)).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EBADF));
    }

    #[test]
    fn nfds_past_fd_setsize_is_refused_before_the_kernel_sees_it() {
        let mut read = FdSet::new();
        let err = select(
            FD_SETSIZE as libc::c_int + 1,
            Some(&mut read),
            None,
            Some(Duration::ZERO),
        )
        .unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::InvalidInput);
        assert!(select(-1, None, None, Some(Duration::ZERO)).is_err());
    }
}
