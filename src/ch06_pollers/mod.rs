//! Chapter 6: one poller interface, several kernels.
//!
//! # The contract every backend keeps
//!
//! A poller watches file descriptors and reports which are ready. Every backend (`select`,
//! `poll`, `epoll`, `kqueue`) implements [`Poller`] with the same meaning:
//!
//! * [`register`](Poller::register) starts watching `fd` for `interest` and will report it with
//!   `token`. Registering an fd that is already registered fails (`EEXIST` for epoll; the others
//!   check too).
//! * [`reregister`](Poller::reregister) replaces the interest and token of a registered fd;
//!   [`deregister`](Poller::deregister) stops watching it. Both fail with `ENOENT` for an fd that
//!   is not registered. Deregister an fd *before* closing it.
//! * [`wait`](Poller::wait) blocks until at least one watched fd is ready or `timeout_ms` passes
//!   (`-1`: no limit; `0`: do not block), then fills `events` (cleared first) with at most `max`
//!   events and returns how many. A signal that interrupts the wait is reported as
//!   [`io::ErrorKind::Interrupted`]: the caller decides whether to wait again (see `sys`).
//! * Readiness is **level-triggered**: an fd that is still readable is reported again by the next
//!   wait. An event is a hint, not a promise: a read may still return `EAGAIN`.
//! * `readable` is also set when a read would return end of file or an error, so a callback that
//!   reads on `readable` sees the hang-up; `hangup` and `error` say so explicitly.

//!
//! # The backends
//!
//! | backend | file | interest list lives | a wait costs | where |
//! | --- | --- | --- | --- | --- |
//! | [`Select`] | `select.rs` | in our memory, copied in every wait | O(highest fd) | everywhere; fds < `FD_SETSIZE` only |
//! | [`Poll`] | `poll.rs` | in our memory, copied in every wait | O(watched) | everywhere |
//! | [`Epoll`] | `epoll.rs` | in the kernel | O(ready) | Linux |
//! | [`Kqueue`] | `kqueue/` | in the kernel | O(ready) | macOS, the BSDs |
//!
//! Per-OS differences are settled here, in which type each name stands for: on an OS without
//! epoll or kqueue, [`Epoll`] or [`Kqueue`] is a stand-in whose `new` fails with a clear error
//! (`unavailable.rs`), so generic code names all four backends without a `cfg`.

pub mod change;
pub mod chat;
#[cfg(any(target_os = "linux", target_os = "android"))]
pub mod epoll;
pub mod kqueue;
pub mod poll;
pub mod scaling;
pub mod select;
mod unavailable;

#[cfg(any(target_os = "linux", target_os = "android"))]
pub use epoll::Epoll;
pub use kqueue::Kqueue;
pub use poll::Poll;
pub use select::Select;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub use unavailable::Epoll;

use std::io;
use std::os::fd::BorrowedFd;

/// Which readiness a registration asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Interest {
    /// Report when a read would not block.
    pub readable: bool,
    /// Report when a write would not block.
    pub writable: bool,
}

impl Interest {
    /// Readable only: the usual interest of a socket with nothing to send.
    pub const READABLE: Interest = Interest {
        readable: true,
        writable: false,
    };
    /// Writable only: waiting for room in a full send buffer, or for a connect to finish.
    pub const WRITABLE: Interest = Interest {
        readable: false,
        writable: true,
    };
    /// Both.
    pub const BOTH: Interest = Interest {
        readable: true,
        writable: true,
    };
}

/// The caller's name for a registration, handed back in each [`Event`]. The poller never looks
/// inside it: typically an index into the loop's table of handles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Token(pub usize);

/// One ready file descriptor, as a wait reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The token the fd was registered with.
    pub token: Token,
    /// A read would not block: data, end of file, or a pending error.
    pub readable: bool,
    /// A write would not block.
    pub writable: bool,
    /// The peer hung up (both directions, or its writing side).
    pub hangup: bool,
    /// An error is pending on the fd (read it with `SO_ERROR`, or by reading or writing).
    pub error: bool,
}

// ANCHOR: poller
/// A readiness poller: the one interface the loop is generic over (static dispatch, no `dyn`).
/// See the [module documentation](self) for the contract.
pub trait Poller: Sized {
    /// The backend's name, as the `--backend` flag and the benchmarks spell it.
    const NAME: &'static str;

    /// A new, empty poller.
    fn new() -> io::Result<Self>;

    /// Starts watching `fd` for `interest`, reporting it as `token`.
    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()>;

    /// Changes the token and interest of a registered `fd`.
    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()>;

    /// Stops watching `fd`.
    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()>;

    /// Waits up to `timeout_ms` milliseconds (`-1`: forever) and fills `events` with at most `max`
    /// ready fds. Returns the number of events.
    fn wait(&mut self, events: &mut Vec<Event>, max: usize, timeout_ms: i32) -> io::Result<usize>;
}

// ANCHOR_END: poller

// ANCHOR: default_poller
/// The poller this platform is best served by: epoll on Linux.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub type DefaultPoller = Epoll;

/// The poller this platform is best served by: kqueue on macOS and the BSDs.
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
pub type DefaultPoller = Kqueue;

/// The poller this platform is best served by: poll, where neither epoll nor kqueue exists.
#[cfg(not(any(
    target_os = "linux",
    target_os = "android",
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)))]
pub type DefaultPoller = Poll;
// ANCHOR_END: default_poller
