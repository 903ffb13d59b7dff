//! The Linux backend: `epoll(7)`.
//!
//! The interest list lives in the kernel: `epoll_ctl` changes it one fd at a time, and
//! `epoll_wait` returns only the ready fds, so a wait costs O(ready), not O(watched).

use super::{Event, Interest, Poller, Token};
use crate::sys::ok_or_errno;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// An epoll instance (`epoll_create1(EPOLL_CLOEXEC)`), level-triggered.
#[derive(Debug)]
pub struct Epoll {
    /// The epoll fd: the kernel's interest list and ready list.
    epfd: OwnedFd,
    /// Where `epoll_wait` writes, reused between waits to avoid allocating per turn.
    buffer: Vec<libc::epoll_event>,
}

impl Epoll {
    // ANCHOR: edge_triggered
    /// Like [`register`](Poller::register), but **edge-triggered** (`EPOLLET`): a wait reports
    /// the fd only when its readiness *changes* (new data arrives, room appears), not while it
    /// stays ready. The reader must then read until `EAGAIN`, or the data left behind is never
    /// reported again until more arrives. mio registers everything this way; libuv and this
    /// book's loop do not. Not part of [`Poller`]: select and poll have no such mode.
    pub fn register_edge_triggered(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        let flags = epoll_flags(interest) | libc::EPOLLET as u32;
        self.ctl_flags(libc::EPOLL_CTL_ADD, fd, token, flags)
    }
    // ANCHOR_END: edge_triggered

    fn ctl(
        &self,
        op: libc::c_int,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        self.ctl_flags(op, fd, token, epoll_flags(interest))
    }

    // ANCHOR: ctl
    fn ctl_flags(
        &self,
        op: libc::c_int,
        fd: BorrowedFd<'_>,
        token: Token,
        flags: u32,
    ) -> io::Result<()> {
        let mut event = libc::epoll_event {
            events: flags,
            u64: token.0 as u64,
        };
        // SAFETY: `epfd` is an open epoll fd and `event` a valid epoll_event for the duration of
        // the call (the kernel copies it; EPOLL_CTL_DEL ignores it).
        ok_or_errno(unsafe {
            libc::epoll_ctl(self.epfd.as_raw_fd(), op, fd.as_raw_fd(), &mut event)
        })?;
        Ok(())
    }
    // ANCHOR_END: ctl
}

// ANCHOR: flags
/// The epoll flags for an interest. `EPOLLRDHUP` asks to hear about the peer shutting down its
/// writing side even when we only watch for reads.
fn epoll_flags(interest: Interest) -> u32 {
    let mut flags = libc::EPOLLRDHUP as u32;
    if interest.readable {
        flags |= libc::EPOLLIN as u32;
    }
    if interest.writable {
        flags |= libc::EPOLLOUT as u32;
    }
    flags
}

/// Turns the flags epoll reports into an [`Event`]. `EPOLLHUP` and `EPOLLERR` are always
/// reported, asked for or not.
fn to_event(raw: &libc::epoll_event) -> Event {
    let flags = raw.events as libc::c_int;
    let hangup = flags & (libc::EPOLLHUP | libc::EPOLLRDHUP) != 0;
    let error = flags & libc::EPOLLERR != 0;
    Event {
        token: Token(raw.u64 as usize),
        readable: flags & libc::EPOLLIN != 0 || hangup || error,
        writable: flags & libc::EPOLLOUT != 0 || error,
        hangup,
        error,
    }
}
// ANCHOR_END: flags

impl Poller for Epoll {
    const NAME: &'static str = "epoll";

    fn new() -> io::Result<Self> {
        // SAFETY: plain integer flag; no pointers.
        let fd = ok_or_errno(unsafe { libc::epoll_create1(libc::EPOLL_CLOEXEC) })?;
        Ok(Epoll {
            // SAFETY: `fd` was just returned by epoll_create1, is open, and nothing else owns it.
            epfd: unsafe { OwnedFd::from_raw_fd(fd) },
            buffer: Vec::new(),
        })
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_ADD, fd, token, interest)
    }

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_MOD, fd, token, interest)
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        self.ctl(libc::EPOLL_CTL_DEL, fd, Token(0), Interest::READABLE)
    }

    // ANCHOR: epoll_wait
    fn wait(&mut self, events: &mut Vec<Event>, max: usize, timeout_ms: i32) -> io::Result<usize> {
        events.clear();
        let max = max.clamp(1, libc::c_int::MAX as usize);
        self.buffer.clear();
        self.buffer.reserve(max);
        // SAFETY: `buffer` has room for at least `max` epoll_events, and the kernel writes at most
        // `max` of them.
        let n = ok_or_errno(unsafe {
            libc::epoll_wait(
                self.epfd.as_raw_fd(),
                self.buffer.as_mut_ptr(),
                max as libc::c_int,
                timeout_ms,
            )
        })? as usize;
        // SAFETY: epoll_wait initialised the first `n` entries, and `n <= max <= capacity`.
        unsafe { self.buffer.set_len(n) };
        events.extend(self.buffer.iter().map(to_event));
        Ok(n)
    }
    // ANCHOR_END: epoll_wait
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    #[test]
    fn reports_a_readable_socket_with_its_token() {
        let mut poller = Epoll::new().unwrap();
        let (a, mut b) = UnixStream::pair().unwrap();
        poller
            .register(a.as_fd(), Token(7), Interest::READABLE)
            .unwrap();
        let mut events = Vec::new();
        assert_eq!(poller.wait(&mut events, 16, 0).unwrap(), 0);
        b.write_all(b"x").unwrap();
        assert_eq!(poller.wait(&mut events, 16, 1000).unwrap(), 1);
        assert_eq!(events[0].token, Token(7));
        assert!(events[0].readable && !events[0].writable);
        poller.deregister(a.as_fd()).unwrap();
        assert_eq!(poller.wait(&mut events, 16, 0).unwrap(), 0);
    }

    #[test]
    fn registering_twice_fails_with_eexist() {
        let mut poller = Epoll::new().unwrap();
        let (a, _b) = UnixStream::pair().unwrap();
        poller
            .register(a.as_fd(), Token(1), Interest::READABLE)
            .unwrap();
        let err = poller
            .register(a.as_fd(), Token(1), Interest::READABLE)
            .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EEXIST));
    }

    /// A regular file is always ready, so epoll refuses to watch it at all.
    #[test]
    fn a_regular_file_is_refused_with_eperm() {
        let mut poller = Epoll::new().unwrap();
        let file = std::fs::File::open(file!()).unwrap();
        let err = poller
            .register(file.as_fd(), Token(1), Interest::READABLE)
            .unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EPERM));
    }

    #[test]
    fn deregistering_an_unknown_fd_fails_with_enoent() {
        let mut poller = Epoll::new().unwrap();
        let (a, _b) = UnixStream::pair().unwrap();
        let err = poller.deregister(a.as_fd()).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::ENOENT));
    }
}
