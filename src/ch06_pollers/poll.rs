//! `poll(2)`: select without the bitmap.
//!
//! The interest list is an array of `pollfd` that we keep between waits and hand to the kernel
//! whole each time; it writes each entry's `revents`. No `FD_SETSIZE` limit, and the array only
//! changes when a registration does, but a wait still costs O(watched): the kernel walks the
//! whole array, and so do we afterwards.

use super::{Event, Interest, Poller, Token};
use crate::sys::ok_or_errno;
use std::collections::HashMap;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};

/// A poller on `poll(2)`.
#[derive(Debug, Default)]
pub struct Poll {
    /// What the kernel reads (fd, events) and writes (revents), one entry per registration.
    fds: Vec<libc::pollfd>,
    /// The token of each entry of `fds`, at the same index.
    tokens: Vec<Token>,
    /// Where each registered fd sits in `fds`, so (de)registering is O(1).
    index: HashMap<RawFd, usize>,
}

/// The `poll` event bits for an interest.
fn poll_events(interest: Interest) -> libc::c_short {
    let mut events = 0;
    if interest.readable {
        events |= libc::POLLIN;
    }
    if interest.writable {
        events |= libc::POLLOUT;
    }
    events
}

/// Turns `revents` into an [`Event`], or `None` if nothing happened to this fd. `POLLHUP` and
/// `POLLERR` come whether asked for or not.
fn to_event(token: Token, revents: libc::c_short) -> Option<Event> {
    if revents == 0 {
        return None;
    }
    let hangup = revents & libc::POLLHUP != 0;
    let error = revents & (libc::POLLERR | libc::POLLNVAL) != 0;
    Some(Event {
        token,
        readable: revents & libc::POLLIN != 0 || hangup || error,
        writable: revents & libc::POLLOUT != 0 || error,
        hangup,
        error,
    })
}

fn not_registered() -> io::Error {
    io::Error::from_raw_os_error(libc::ENOENT)
}

impl Poller for Poll {
    const NAME: &'static str = "poll";

    fn new() -> io::Result<Self> {
        Ok(Poll::default())
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        let fd = fd.as_raw_fd();
        if self.index.contains_key(&fd) {
            return Err(io::Error::from_raw_os_error(libc::EEXIST));
        }
        self.index.insert(fd, self.fds.len());
        self.fds.push(libc::pollfd {
            fd,
            events: poll_events(interest),
            revents: 0,
        });
        self.tokens.push(token);
        Ok(())
    }

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        let &i = self.index.get(&fd.as_raw_fd()).ok_or_else(not_registered)?;
        self.fds[i].events = poll_events(interest);
        self.tokens[i] = token;
        Ok(())
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        let i = self
            .index
            .remove(&fd.as_raw_fd())
            .ok_or_else(not_registered)?;
        // The last entry moves into the hole; its index changes.
        self.fds.swap_remove(i);
        self.tokens.swap_remove(i);
        if let Some(moved) = self.fds.get(i) {
            self.index.insert(moved.fd, i);
        }
        Ok(())
    }

    // ANCHOR: poll_wait
    fn wait(&mut self, events: &mut Vec<Event>, max: usize, timeout_ms: i32) -> io::Result<usize> {
        events.clear();
        // SAFETY: `fds` is a valid, writable array of `fds.len()` pollfds for the whole call.
        ok_or_errno(unsafe {
            libc::poll(
                self.fds.as_mut_ptr(),
                self.fds.len() as libc::nfds_t,
                timeout_ms,
            )
        })?;
        // The kernel said how many entries have revents, not which: look at every one. With
        // more ready than `max`, the first ones in the array win; the rest, still ready, are
        // reported by a later wait (level-triggered).
        let max = max.max(1); // as epoll: room for at least one event
        let ready = self.fds.iter().zip(&self.tokens);
        events.extend(
            ready
                .filter_map(|(p, &token)| to_event(token, p.revents))
                .take(max),
        );
        Ok(events.len())
    }
    // ANCHOR_END: poll_wait
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::fd::AsFd;
    use std::os::unix::net::UnixStream;

    #[test]
    fn deregistering_from_the_middle_keeps_the_index_right() {
        let mut p = Poll::new().unwrap();
        let pairs: Vec<_> = (0..3).map(|_| UnixStream::pair().unwrap()).collect();
        for (i, (a, _)) in pairs.iter().enumerate() {
            p.register(a.as_fd(), Token(i), Interest::READABLE).unwrap();
        }
        p.deregister(pairs[0].0.as_fd()).unwrap();
        // The entry that moved into slot 0 must still be found.
        p.reregister(pairs[2].0.as_fd(), Token(9), Interest::WRITABLE)
            .unwrap();
        let mut events = Vec::new();
        p.wait(&mut events, 8, 0).unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].token, Token(9));
        assert!(events[0].writable);
    }

    #[test]
    fn hangup_comes_unasked() {
        let e = to_event(Token(1), libc::POLLHUP).unwrap();
        assert!(e.hangup && e.readable && !e.error);
        assert_eq!(to_event(Token(1), 0), None);
    }
}
