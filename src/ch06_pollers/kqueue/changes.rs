//! The kqueue backend's logic, in plain Rust types: which `kevent` changes a registration
//! makes, and what a returned `kevent` means. Nothing here calls the kernel, so it compiles and
//! is tested on every OS; [`ffi`](super) turns these types into `struct kevent` on macOS and the
//! BSDs.
//!
//! kqueue does not watch an *fd* for an *interest* the way epoll does: it watches (fd, filter)
//! pairs, one `EVFILT_READ` and one `EVFILT_WRITE`, each added (`EV_ADD`) and deleted
//! (`EV_DELETE`) on its own. Deleting a filter that was never added fails with `ENOENT`, so the
//! backend remembers each fd's interest and asks only for the changes that make sense.

use super::super::{Event, Interest, Token};
use std::collections::HashMap;
use std::io;
use std::os::fd::RawFd;

/// A kqueue filter: which kind of readiness a kevent is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Filter {
    /// `EVFILT_READ`: data to read, a connection to accept, or end of file.
    Read,
    /// `EVFILT_WRITE`: room in the send buffer.
    Write,
}

/// What a change does to its (fd, filter) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// `EV_ADD`: start watching, or update the token of a filter already watched.
    Add,
    /// `EV_DELETE`: stop watching.
    Delete,
}

/// One entry of a `kevent` changelist.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    /// The fd (`ident`).
    pub fd: RawFd,
    /// The filter.
    pub filter: Filter,
    /// Add or delete.
    pub action: Action,
    /// The token the kernel hands back with each event (`udata`).
    pub token: Token,
}

// ANCHOR: changelist
/// Appends to `out` the changes that take `fd` from `old` to `new` interest (`None`: not
/// registered). A filter wanted now is added, even if it was already there, because `EV_ADD`
/// on a watched filter replaces its `udata`: that is how the token changes. A filter no longer
/// wanted is deleted; one never watched is left alone (deleting it would fail with `ENOENT`).
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
// ANCHOR_END: changelist

/// A `kevent` the kernel returned, in plain types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Returned {
    /// Which filter fired.
    pub filter: Filter,
    /// `EV_EOF`: the peer closed its side (for `EVFILT_READ`, after the data still buffered).
    pub eof: bool,
    /// `EV_ERROR`: `data` holds an errno.
    pub error: bool,
    /// The `udata` we registered.
    pub token: Token,
}

// ANCHOR: readiness
/// What a returned kevent means, as an [`Event`]. kqueue returns one kevent per filter, so an fd
/// both readable and writable arrives as two events with the same token.
pub fn readiness(returned: Returned) -> Event {
    let read = returned.filter == Filter::Read;
    Event {
        token: returned.token,
        readable: read || returned.error,
        writable: !read || returned.error,
        hangup: returned.eof,
        error: returned.error,
    }
}
// ANCHOR_END: readiness

/// The backend's memory: each registered fd's token and interest, so it can tell `EEXIST` and
/// `ENOENT` like epoll does and ask only for the changes that make sense.
#[derive(Debug, Default)]
pub struct Registrations {
    /// Every registered fd.
    by_fd: HashMap<RawFd, (Token, Interest)>,
}

impl Registrations {
    /// Records a new registration and returns its changes; `EEXIST` if `fd` is registered.
    pub fn register(
        &mut self,
        fd: RawFd,
        token: Token,
        interest: Interest,
    ) -> io::Result<Vec<Change>> {
        if self.by_fd.contains_key(&fd) {
            return Err(io::Error::from_raw_os_error(libc::EEXIST));
        }
        self.by_fd.insert(fd, (token, interest));
        let mut out = Vec::new();
        changelist(fd, token, None, Some(interest), &mut out);
        Ok(out)
    }

    /// Records a new token and interest; `ENOENT` if `fd` is not registered.
    pub fn reregister(
        &mut self,
        fd: RawFd,
        token: Token,
        interest: Interest,
    ) -> io::Result<Vec<Change>> {
        let entry = self.by_fd.get_mut(&fd).ok_or_else(not_registered)?;
        let old = std::mem::replace(entry, (token, interest));
        let mut out = Vec::new();
        changelist(fd, token, Some(old.1), Some(interest), &mut out);
        Ok(out)
    }

    /// Forgets `fd`; `ENOENT` if it is not registered.
    pub fn deregister(&mut self, fd: RawFd) -> io::Result<Vec<Change>> {
        let (token, old) = self.by_fd.remove(&fd).ok_or_else(not_registered)?;
        let mut out = Vec::new();
        changelist(fd, token, Some(old), None, &mut out);
        Ok(out)
    }

    /// The token and interest of `fd`, if registered.
    pub fn get(&self, fd: RawFd) -> Option<(Token, Interest)> {
        self.by_fd.get(&fd).copied()
    }

    /// Puts back what `fd` was before a change the kernel refused (`None`: not registered).
    pub fn restore(&mut self, fd: RawFd, before: Option<(Token, Interest)>) {
        match before {
            Some(entry) => self.by_fd.insert(fd, entry),
            None => self.by_fd.remove(&fd),
        };
    }
}

fn not_registered() -> io::Error {
    io::Error::from_raw_os_error(libc::ENOENT)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(filter: Filter, action: Action, token: usize) -> Change {
        Change {
            fd: 5,
            filter,
            action,
            token: Token(token),
        }
    }

    #[test]
    fn registering_for_both_adds_two_filters() {
        let mut regs = Registrations::default();
        let out = regs.register(5, Token(1), Interest::BOTH).unwrap();
        assert_eq!(
            out,
            [
                change(Filter::Read, Action::Add, 1),
                change(Filter::Write, Action::Add, 1)
            ]
        );
    }

    #[test]
    fn reregistering_deletes_only_what_was_watched() {
        let mut regs = Registrations::default();
        regs.register(5, Token(1), Interest::READABLE).unwrap();
        let out = regs.reregister(5, Token(2), Interest::WRITABLE).unwrap();
        assert_eq!(
            out,
            [
                change(Filter::Read, Action::Delete, 2),
                change(Filter::Write, Action::Add, 2)
            ]
        );
        let out = regs.deregister(5).unwrap();
        assert_eq!(out, [change(Filter::Write, Action::Delete, 2)]);
    }

    #[test]
    fn same_interest_new_token_re_adds_to_replace_udata() {
        let mut out = Vec::new();
        let r = Some(Interest::READABLE);
        changelist(5, Token(3), r, r, &mut out);
        assert_eq!(out, [change(Filter::Read, Action::Add, 3)]);
    }

    #[test]
    fn errors_match_epoll() {
        let mut regs = Registrations::default();
        regs.register(5, Token(1), Interest::READABLE).unwrap();
        let twice = regs.register(5, Token(1), Interest::READABLE).unwrap_err();
        assert_eq!(twice.raw_os_error(), Some(libc::EEXIST));
        let unknown = regs.deregister(6).unwrap_err();
        assert_eq!(unknown.raw_os_error(), Some(libc::ENOENT));
        let unknown = regs
            .reregister(6, Token(1), Interest::READABLE)
            .unwrap_err();
        assert_eq!(unknown.raw_os_error(), Some(libc::ENOENT));
    }

    #[test]
    fn restore_undoes_a_refused_change() {
        let mut regs = Registrations::default();
        regs.register(5, Token(1), Interest::READABLE).unwrap();
        let before = regs.get(5);
        regs.reregister(5, Token(2), Interest::BOTH).unwrap();
        regs.restore(5, before);
        assert_eq!(regs.get(5), Some((Token(1), Interest::READABLE)));
        regs.restore(7, None);
        assert_eq!(regs.get(7), None);
    }

    #[test]
    fn eof_on_the_read_filter_is_a_readable_hangup() {
        let e = readiness(Returned {
            filter: Filter::Read,
            eof: true,
            error: false,
            token: Token(4),
        });
        assert!(e.readable && e.hangup && !e.writable && !e.error);
        let w = readiness(Returned {
            filter: Filter::Write,
            eof: false,
            error: false,
            token: Token(4),
        });
        assert!(w.writable && !w.readable);
    }
}
