//! The portable baseline: `select(2)`, on chapter 3's [`FdSet`].
//!
//! The kernel keeps nothing between calls: every wait rebuilds two bitmaps from our table of
//! registrations, hands them in, and scans every registered fd afterwards. A wait costs
//! O(highest fd) in the kernel and O(watched) here, however few fds are ready. And an `fd_set`
//! holds only fds below [`FD_SETSIZE`]: registering a larger one fails with a clear error instead
//! of writing past the bitmap.

use super::{Event, Interest, Poller, Token};
use crate::ch03_select::{FD_SETSIZE, FdSet, FdTooLarge, select};
use std::collections::BTreeMap;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, RawFd};
use std::time::Duration;

/// A poller on `select(2)`: the registrations live here, in user space.
#[derive(Debug, Default)]
pub struct Select {
    /// Every registered fd with its token and interest, in fd order so a wait can stop at the
    /// highest fd.
    registered: BTreeMap<RawFd, (Token, Interest)>,
}

/// The timeout `select` takes: `None` waits forever (the contract's negative `timeout_ms`).
fn to_duration(timeout_ms: i32) -> Option<Duration> {
    u64::try_from(timeout_ms).ok().map(Duration::from_millis)
}

/// `ENOENT`, for an fd that is not registered (what epoll says in that case).
fn not_registered() -> io::Error {
    io::Error::from_raw_os_error(libc::ENOENT)
}

impl Poller for Select {
    const NAME: &'static str = "select";

    fn new() -> io::Result<Self> {
        Ok(Select::default())
    }

    // ANCHOR: select_register
    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        let fd = fd.as_raw_fd();
        if fd < 0 || fd as usize >= FD_SETSIZE {
            // Refused here, once, with the fd in the message: never at wait time.
            return Err(FdTooLarge { fd }.into());
        }
        if self.registered.contains_key(&fd) {
            return Err(io::Error::from_raw_os_error(libc::EEXIST));
        }
        self.registered.insert(fd, (token, interest));
        Ok(())
    }
    // ANCHOR_END: select_register

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        let entry = self
            .registered
            .get_mut(&fd.as_raw_fd())
            .ok_or_else(not_registered)?;
        *entry = (token, interest);
        Ok(())
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        self.registered
            .remove(&fd.as_raw_fd())
            .map(|_| ())
            .ok_or_else(not_registered)
    }

    // ANCHOR: select_wait
    fn wait(&mut self, events: &mut Vec<Event>, max: usize, timeout_ms: i32) -> io::Result<usize> {
        events.clear();
        let max = max.max(1); // as epoll: room for at least one event
        // O(watched) before the call: both sets are rebuilt from scratch, because select
        // overwrote the last ones with its answer.
        let mut read = FdSet::new();
        let mut write = FdSet::new();
        for (&fd, &(_, interest)) in &self.registered {
            if interest.readable {
                read.insert(fd)?;
            }
            if interest.writable {
                write.insert(fd)?;
            }
        }
        let nfds = self.registered.keys().next_back().map_or(0, |&fd| fd + 1);
        select(
            nfds,
            Some(&mut read),
            Some(&mut write),
            to_duration(timeout_ms),
        )?;
        // O(watched) after it: the answer is a bitmap, so every registered fd is tested.
        for (&fd, &(token, _)) in &self.registered {
            if events.len() == max {
                break;
            }
            let (readable, writable) = (read.contains(fd), write.contains(fd));
            if readable || writable {
                events.push(Event {
                    token,
                    readable,
                    writable,
                    // select cannot tell a hang-up from data: both are "readable".
                    hangup: false,
                    error: false,
                });
            }
        }
        Ok(events.len())
    }
    // ANCHOR_END: select_wait
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negative_timeouts_wait_forever_and_others_are_milliseconds() {
        assert_eq!(to_duration(-1), None);
        assert_eq!(to_duration(0), Some(Duration::ZERO));
        assert_eq!(to_duration(1500), Some(Duration::from_millis(1500)));
    }
}
