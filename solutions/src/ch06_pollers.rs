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
    let watched = |i: Option<Interest>| i.filter(|i| i.readable || i.writable);
    match (watched(old), watched(new)) {
        (None, None) => CtlOp::Nothing,
        (None, Some(new)) => CtlOp::Add(new),
        (Some(_), None) => CtlOp::Delete,
        (Some(old), Some(new)) if old == new => CtlOp::Nothing,
        (Some(_), Some(new)) => CtlOp::Modify(new),
    }
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
    let none = Interest {
        readable: false,
        writable: false,
    };
    let (old, new) = (old.unwrap_or(none), new.unwrap_or(none));
    for (filter, was, wanted) in [
        (Filter::Read, old.readable, new.readable),
        (Filter::Write, old.writable, new.writable),
    ] {
        let action = match (was, wanted) {
            (_, true) => Action::Add,
            (true, false) => Action::Delete,
            (false, false) => continue,
        };
        out.push(Change {
            fd,
            filter,
            action,
            token,
        });
    }
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
    let mut drained = Drained::default();
    let mut buf = [0u8; 4096];
    loop {
        match eventloops::sys::net::read(fd, &mut buf) {
            Ok(0) => {
                drained.eof = true;
                return Ok(drained);
            }
            Ok(n) => drained.bytes.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(drained),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
