//! Accepting every connection that is waiting, in one go: `accept4(2)` in a loop until the
//! queue is empty (`EAGAIN`), each new socket already non-blocking and close-on-exec.
//!
//! What to do when `accept` fails is the caller's decision (some errors mean "try the next
//! one", others "stop accepting for a while"), so the loop hands every other error up as an
//! item and goes on only if asked for the next one.
//!
//! # Portability
//!
//! Linux makes the socket non-blocking and close-on-exec in the `accept4` call itself
//! (`SOCK_NONBLOCK | SOCK_CLOEXEC`); macOS, which has no `accept4`, sets both with `fcntl(2)`
//! right after `accept`: three system calls per connection instead of one.

use super::os;
use std::io;
use std::os::fd::{BorrowedFd, OwnedFd};

/// Takes one waiting connection from a non-blocking listener: the new socket is non-blocking and
/// close-on-exec. Fails with [`io::ErrorKind::WouldBlock`] when none is waiting.
pub fn accept_nonblocking(listener: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    os::accept_nonblocking(listener)
}

// ANCHOR: accept_waiting
/// The connections waiting on a non-blocking `listener`, at most `max` of them: an iterator that
/// calls `accept4` once per item and ends when the queue is empty (`EAGAIN`) or after `max`
/// connections. Any other error is an item of its own, and iterating further calls `accept`
/// again, so the caller decides, per error, whether to go on.
///
/// The cap keeps one burst of new clients from holding the loop while the clients it already
/// has wait: what is left is still queued, the listener stays readable, and the next turn of the
/// loop takes the rest.
pub fn accept_waiting(listener: BorrowedFd<'_>, max: usize) -> AcceptWaiting<'_> {
    AcceptWaiting {
        listener,
        left: max,
    }
}

/// The iterator [`accept_waiting`] returns.
#[derive(Debug)]
pub struct AcceptWaiting<'a> {
    listener: BorrowedFd<'a>,
    /// How many more connections this round may take.
    left: usize,
}

impl Iterator for AcceptWaiting<'_> {
    type Item = io::Result<OwnedFd>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.left == 0 {
            return None;
        }
        match accept_nonblocking(self.listener) {
            Ok(conn) => {
                self.left -= 1;
                Some(Ok(conn))
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => None,
            Err(e) => Some(Err(e)),
        }
    }
}
// ANCHOR_END: accept_waiting

#[cfg(test)]
mod tests {
    use super::super::{listen_tcp, set_nonblocking};
    use super::*;
    use std::os::fd::{AsFd, AsRawFd};

    #[test]
    fn takes_every_waiting_connection_up_to_the_cap_then_stops() {
        let listener = listen_tcp(0).unwrap();
        set_nonblocking(listener.as_fd(), true).unwrap();
        let port = super::super::local_port(listener.as_fd()).unwrap();
        let clients: Vec<_> = (0..5)
            .map(|_| std::net::TcpStream::connect(("127.0.0.1", port)).unwrap())
            .collect();
        let first: Vec<_> = accept_waiting(listener.as_fd(), 3)
            .map(Result::unwrap)
            .collect();
        assert_eq!(first.len(), 3);
        let rest: Vec<_> = accept_waiting(listener.as_fd(), 100)
            .map(Result::unwrap)
            .collect();
        assert_eq!(rest.len(), 2, "the queue empties: EAGAIN ends the round");
        for conn in first.iter().chain(&rest) {
            // SAFETY: F_GETFL/F_GETFD on an open fd take no pointer.
            let (fl, fd_flags) = unsafe {
                (
                    libc::fcntl(conn.as_raw_fd(), libc::F_GETFL),
                    libc::fcntl(conn.as_raw_fd(), libc::F_GETFD),
                )
            };
            assert_ne!(fl & libc::O_NONBLOCK, 0);
            assert_ne!(fd_flags & libc::FD_CLOEXEC, 0);
        }
        drop(clients);
    }
}
