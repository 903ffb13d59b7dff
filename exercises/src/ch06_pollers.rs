//! Chapter 6 exercises: the decisions inside a poller backend.
//!
//! * [`ctl_op`]: which `epoll_ctl` operation turns one interest into another.
//! * [`changelist`]: the same change, as kqueue wants it: one `kevent` per filter.
//! * [`drain`]: read an edge-triggered fd until `EAGAIN`, or it stalls.
//!
//! Check your work with `cargo test -p exercises-ch06`. The book page is
//! `book/src/ch06-pollers.md`.

pub use eventloops::ch06_pollers::change::CtlOp;
pub use eventloops::ch06_pollers::kqueue::changes::{Action, Change, Filter};
pub use eventloops::ch06_pollers::{Interest, Token};
use std::io;
use std::os::fd::{BorrowedFd, RawFd};

/// The operation that takes an fd from `old` to `new` interest.
///
/// `None` means "not registered". An interest with neither `readable` nor `writable` also means
/// "not watched": such an fd must not be in the poller at all.
pub fn ctl_op(old: Option<Interest>, new: Option<Interest>) -> CtlOp {
    // TODO: treat an empty interest like `None`, then return `Add(new)` for a newly watched
    // fd, `Delete` for one no longer watched, `Modify(new)` when the interest changes, and
    // `Nothing` when nothing does (no system call at all).
    todo!("ch06.1: the epoll_ctl operation from {old:?} to {new:?}")
}

/// Appends to `out` the kqueue changes that take `fd` from `old` to `new` interest (`None`: not
/// registered), in the order read filter, then write filter.
///
/// A filter wanted in `new` gets an `Add` (even if it was already watched: `EV_ADD` on a watched
/// filter replaces its token). A filter watched in `old` but not wanted in `new` gets a `Delete`.
/// A filter in neither gets nothing: deleting a filter that was never added fails with
/// `ENOENT`. Every change carries `token`.
// `out` is appended to, so it must be a `Vec`, not a slice.
#[allow(clippy::ptr_arg)]
pub fn changelist(
    fd: RawFd,
    token: Token,
    old: Option<Interest>,
    new: Option<Interest>,
    out: &mut Vec<Change>,
) {
    // TODO: for `Filter::Read` (readable) and then `Filter::Write` (writable), decide from
    // "was it watched" and "is it wanted" whether to push an `Add`, a `Delete`, or nothing.
    todo!("ch06.2: the kqueue changes from {old:?} to {new:?}")
}

/// What [`drain`] read.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Drained {
    /// Every byte that was waiting.
    pub bytes: Vec<u8>,
    /// Whether the peer closed its side (a read returned 0).
    pub eof: bool,
}

/// Reads everything waiting on the non-blocking `fd`: until a read fails with `EAGAIN`
/// (`ErrorKind::WouldBlock`) or returns 0 (end of file).
///
/// This is what an edge-triggered registration demands: the next wait reports the fd only when
/// *new* data arrives, so whatever is left unread now stalls until then.
pub fn drain(fd: BorrowedFd<'_>) -> io::Result<Drained> {
    // TODO: loop over `eventloops::sys::net::read(fd, &mut buf)` with a buffer of your own:
    // append what it read; stop at 0 (set `eof`) or at `WouldBlock` (all read); retry on
    // `Interrupted`; return any other error.
    todo!("ch06.3: read fd {fd:?} until EAGAIN or end of file")
}
