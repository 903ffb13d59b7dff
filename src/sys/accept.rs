//! What a failed `accept(2)` means, decided once for every server in the book.
//!
//! `accept` fails in more ways than any other call, and almost none of them is the server's
//! fault. They fall into four kinds, [`AcceptError`], and a server needs one answer per kind:
//!
//! | kind | errno | the connection | what the server does |
//! | --- | --- | --- | --- |
//! | [`QueueEmpty`](AcceptError::QueueEmpty) | `EAGAIN` | none was waiting | go back to waiting |
//! | [`Retry`](AcceptError::Retry) | `ECONNABORTED`, `EINTR`, `EPERM`, network errors | that one is gone | `accept` again now |
//! | [`Exhausted`](AcceptError::Exhausted) | `EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM` | still queued | stop accepting until something is freed |
//! | [`Fatal`](AcceptError::Fatal) | `EBADF`, `EINVAL`, `ENOTSOCK`, … | — | a bug: give up |
//!
//! `Exhausted` is the dangerous one. The connection stays in the listen queue, so the listener
//! stays readable, and a level-triggered loop that goes back to waiting is woken at once, for
//! ever: 100% CPU and a log line per turn. [`AcceptPause`] is the small state machine every loop
//! in the book uses against it: stop watching the listener, log once, and watch it again when a
//! connection closes (an fd is free) or after [`AcceptPause::RETRY_AFTER`] (for the resources
//! that others may free).
//!
//! # Use in a server
//!
//! ```no_run
//! use eventloops::sys::accept::{AcceptError, AcceptPause};
//! use eventloops::sys::net;
//! use std::os::fd::BorrowedFd;
//! use std::time::Instant;
//!
//! /// Called when the (non-blocking) listener is readable.
//! fn accept_all(listener: BorrowedFd<'_>, pause: &mut AcceptPause) -> std::io::Result<()> {
//!     loop {
//!         match net::accept(listener) {
//!             Ok((conn, _peer)) => drop(conn), // a real server registers `conn` here
//!             Err(e) => match AcceptError::classify(&e) {
//!                 AcceptError::QueueEmpty => {
//!                     if pause.caught_up() {
//!                         println!("accepting again");
//!                     }
//!                     return Ok(());
//!                 }
//!                 AcceptError::Retry => continue,
//!                 AcceptError::Exhausted => {
//!                     if pause.exhausted(Instant::now()) {
//!                         println!("accept: {e}; not accepting until a client leaves");
//!                     }
//!                     return Ok(()); // and take the listener out of the interest set
//!                 }
//!                 AcceptError::Fatal => return Err(e),
//!             },
//!         }
//!     }
//! }
//! ```
//!
//! # Portability
//!
//! The errnos are those of Linux's `accept(2)` (including its list of network errors it passes up
//! from the new connection, which `ENONET`, Linux-only, belongs to) and of macOS's; libuv
//! (`uv__server_io` in `src/unix/stream.c`) and nginx (`ngx_event_accept`) sort them the same way.

use std::io;
use std::time::{Duration, Instant};

// ANCHOR: classify
/// What a failed `accept` means for the server that called it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptError {
    /// `EAGAIN`/`EWOULDBLOCK`: no connection is waiting (a non-blocking listener only). Go back
    /// to waiting for the listener to be readable.
    QueueEmpty,
    /// About one connection or one moment, not about the listener: call `accept` again now.
    ///
    /// * `ECONNABORTED`: the client gave up while its connection sat in the queue.
    /// * `EINTR`: a signal arrived (a blocking loop looks at its stop flag first).
    /// * `EPERM`: Linux, a firewall rule refused this connection.
    /// * `EPROTO`, `ENOPROTOOPT`, `ENETDOWN`, `ENETUNREACH`, `EHOSTDOWN`, `EHOSTUNREACH`,
    ///   `ENONET`, `EOPNOTSUPP`, `ETIMEDOUT`: Linux passes up an error already pending on the new
    ///   connection; `accept(2)` says to treat these like `EAGAIN` and try again.
    Retry,
    /// Out of a resource: `EMFILE` (this process's fd limit), `ENFILE` (the system's), `ENOBUFS`
    /// or `ENOMEM` (kernel memory for the new socket). The connection stays queued, so calling
    /// `accept` again at once fails again at once: stop accepting until something is freed.
    Exhausted,
    /// Anything else (`EBADF`, `EINVAL`, `ENOTSOCK`, `EFAULT`, …): the listener is not what the
    /// server thinks it is. A bug: give up.
    Fatal,
}

impl AcceptError {
    /// Sorts an error returned by [`net::accept`](super::net::accept).
    pub fn classify(err: &io::Error) -> AcceptError {
        let Some(errno) = err.raw_os_error() else {
            return AcceptError::Fatal;
        };
        if errno == libc::EAGAIN || errno == libc::EWOULDBLOCK {
            AcceptError::QueueEmpty
        } else if RETRY.contains(&errno) {
            AcceptError::Retry
        } else if EXHAUSTED.contains(&errno) {
            AcceptError::Exhausted
        } else {
            AcceptError::Fatal
        }
    }
}

/// See [`AcceptError::Retry`].
const RETRY: &[libc::c_int] = &[
    libc::ECONNABORTED,
    libc::EINTR,
    libc::EPERM,
    libc::EPROTO,
    libc::ENOPROTOOPT,
    libc::ENETDOWN,
    libc::ENETUNREACH,
    libc::EHOSTDOWN,
    libc::EHOSTUNREACH,
    #[cfg(any(target_os = "linux", target_os = "android"))]
    libc::ENONET,
    libc::EOPNOTSUPP,
    libc::ETIMEDOUT,
];

/// See [`AcceptError::Exhausted`].
const EXHAUSTED: &[libc::c_int] = &[libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM];
// ANCHOR_END: classify

// ANCHOR: pause
/// A listener's state while `accept` is short of a resource ([`AcceptError::Exhausted`]).
///
/// An *episode* runs from the first `Exhausted` to the next time the listen queue is empty: it
/// is logged once when it starts and once when it ends, however many clients come and go in
/// between. Meanwhile the listener is taken out of the interest set ([`watching`] is false) and
/// put back when one of our connections closes ([`fd_freed`]) or [`RETRY_AFTER`] has passed
/// ([`retry_due`]): `EMFILE` is freed only by our own closes, but `ENFILE`, `ENOBUFS` and
/// `ENOMEM` may be freed by another process. nginx does the same (it disables accept events and
/// re-enables them on a timer).
///
/// [`watching`]: AcceptPause::watching
/// [`fd_freed`]: AcceptPause::fd_freed
/// [`retry_due`]: AcceptPause::retry_due
/// [`RETRY_AFTER`]: AcceptPause::RETRY_AFTER
#[derive(Debug, Default)]
pub struct AcceptPause {
    /// When the listener was taken out of the interest set; `None` while it is watched.
    unwatched_since: Option<Instant>,
    /// Whether an episode is under way (logged when it started, to be logged when it ends).
    in_episode: bool,
}

impl AcceptPause {
    /// How long a paused listener waits for a connection of ours to close before trying
    /// `accept` again anyway.
    pub const RETRY_AFTER: Duration = Duration::from_secs(1);

    /// A listener that is watched and has had no trouble.
    pub fn new() -> AcceptPause {
        AcceptPause::default()
    }

    /// Whether the listener belongs in the interest set now.
    pub fn watching(&self) -> bool {
        self.unwatched_since.is_none()
    }

    /// `accept` failed with [`AcceptError::Exhausted`]: stop watching the listener. Returns
    /// `true` when this starts an episode, i.e. when the caller should log it.
    pub fn exhausted(&mut self, now: Instant) -> bool {
        self.unwatched_since = Some(now);
        !std::mem::replace(&mut self.in_episode, true)
    }

    /// `accept` found the queue empty. Returns `true` when that ends an episode: every client
    /// that waited has been accepted, and the caller may log that it is accepting again.
    pub fn caught_up(&mut self) -> bool {
        std::mem::replace(&mut self.in_episode, false)
    }

    /// One of our connections was closed, so an fd is free: watch the listener again. Returns
    /// `true` if it was not watched (the caller puts it back in the interest set).
    pub fn fd_freed(&mut self) -> bool {
        self.unwatched_since.take().is_some()
    }

    /// Whether the listener is watched again while its episode is still open: the caller should
    /// call `accept` once now instead of waiting for the listener to turn readable. At the fd
    /// limit, Linux's `accept` fails with `EMFILE` before it even looks at the listen queue, so
    /// the call that took the last waiting client may still have ended in `Exhausted`. The queue
    /// is then empty, the listener never turns readable again, and without this one call the
    /// episode would never be seen to end (and the next one would not be logged). The call
    /// settles it: `QueueEmpty` ends the episode, `Exhausted` sets the listener aside again.
    pub fn listener_back(&self) -> bool {
        self.in_episode && self.unwatched_since.is_none()
    }

    /// Whether the listener has been unwatched for [`Self::RETRY_AFTER`]; if so, it is watched
    /// again (the caller puts it back in the interest set) and `true` is returned.
    pub fn retry_due(&mut self, now: Instant) -> bool {
        match self.unwatched_since {
            Some(since) if now.duration_since(since) >= Self::RETRY_AFTER => {
                self.unwatched_since = None;
                true
            }
            _ => false,
        }
    }

    /// How long the loop may sleep before [`retry_due`](Self::retry_due) becomes true: `None`
    /// while the listener is watched.
    pub fn wait_limit(&self, now: Instant) -> Option<Duration> {
        let since = self.unwatched_since?;
        Some(Self::RETRY_AFTER.saturating_sub(now.duration_since(since)))
    }
}
// ANCHOR_END: pause

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(errno: libc::c_int) -> AcceptError {
        AcceptError::classify(&io::Error::from_raw_os_error(errno))
    }

    #[test]
    fn each_errno_falls_in_its_kind() {
        assert_eq!(kind(libc::EAGAIN), AcceptError::QueueEmpty);
        assert_eq!(kind(libc::EWOULDBLOCK), AcceptError::QueueEmpty);
        for errno in [libc::ECONNABORTED, libc::EINTR, libc::EPERM, libc::EPROTO] {
            assert_eq!(kind(errno), AcceptError::Retry, "errno {errno}");
        }
        for errno in [libc::EMFILE, libc::ENFILE, libc::ENOBUFS, libc::ENOMEM] {
            assert_eq!(kind(errno), AcceptError::Exhausted, "errno {errno}");
        }
        for errno in [libc::EBADF, libc::EINVAL, libc::ENOTSOCK, libc::EFAULT] {
            assert_eq!(kind(errno), AcceptError::Fatal, "errno {errno}");
        }
        let not_an_errno = io::Error::other("made up");
        assert_eq!(AcceptError::classify(&not_an_errno), AcceptError::Fatal);
    }

    #[test]
    fn an_episode_is_reported_once_however_often_accept_fails() {
        let mut pause = AcceptPause::new();
        let t0 = Instant::now();
        assert!(pause.watching());
        assert!(pause.exhausted(t0), "the first failure starts an episode");
        assert!(!pause.watching());
        assert!(pause.fd_freed(), "a close puts the listener back");
        assert!(!pause.fd_freed(), "only once");
        assert!(!pause.exhausted(t0), "the same episode: not reported again");
        assert!(pause.fd_freed());
        assert!(pause.caught_up(), "an empty queue ends it");
        assert!(!pause.caught_up());
        assert!(pause.watching());
    }

    #[test]
    fn a_listener_put_back_during_an_episode_asks_for_one_accept() {
        let t0 = Instant::now();
        let mut pause = AcceptPause::new();
        assert!(!pause.listener_back(), "no episode, nothing to settle");
        pause.exhausted(t0);
        assert!(!pause.listener_back(), "set aside: not yet");
        assert!(pause.fd_freed());
        assert!(pause.listener_back(), "back, episode open: accept once now");
        pause.exhausted(t0);
        assert!(!pause.listener_back(), "still out of fds: set aside again");
        assert!(pause.fd_freed());
        assert!(pause.caught_up(), "the queue is empty: the episode ends");
        assert!(!pause.listener_back());
    }

    #[test]
    fn a_paused_listener_is_retried_after_a_second() {
        let mut pause = AcceptPause::new();
        let t0 = Instant::now();
        assert_eq!(pause.wait_limit(t0), None);
        pause.exhausted(t0);
        assert_eq!(pause.wait_limit(t0), Some(AcceptPause::RETRY_AFTER));
        assert!(!pause.retry_due(t0 + Duration::from_millis(999)));
        assert!(pause.retry_due(t0 + AcceptPause::RETRY_AFTER));
        assert!(pause.watching());
        assert_eq!(pause.wait_limit(t0), None);
    }
}
