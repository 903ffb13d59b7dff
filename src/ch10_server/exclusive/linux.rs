//! Linux: a small epoll registered on the listener with `EPOLLEXCLUSIVE`.

use crate::sys::ok_or_errno;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

// ANCHOR: exclusive_epoll
/// A new epoll instance watching `listener` for readability with `EPOLLEXCLUSIVE`: put its fd
/// in the worker's loop in place of the listener's.
pub fn exclusive_epoll(listener: &OwnedFd) -> io::Result<OwnedFd> {
    // SAFETY: plain integer flag; no pointers.
    let epfd = ok_or_errno(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
    // SAFETY: `epfd` was just returned by epoll_create1, is open, and nothing else owns it.
    let epfd = unsafe { OwnedFd::from_raw_fd(epfd) };
    let mut event = libc::epoll_event {
        events: (libc::EPOLLIN | libc::EPOLLEXCLUSIVE) as u32,
        u64: 0,
    };
    // SAFETY: both fds are open and `event` is a valid epoll_event for the call.
    ok_or_errno(unsafe {
        libc::epoll_ctl(
            epfd.as_raw_fd(),
            libc::EPOLL_CTL_ADD,
            listener.as_raw_fd(),
            &mut event,
        )
    })?;
    Ok(epfd)
}
// ANCHOR_END: exclusive_epoll
