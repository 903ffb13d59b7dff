//! The thin shim between [`changes`](super::changes) and the kernel: `struct kevent` in and out,
//! and the two system calls. Compiled only on macOS and the BSDs.
//!
//! # Portability
//!
//! `kqueue(2)`, `kevent(2)`. The field types of `struct kevent` differ between the BSDs, so they
//! are named once below, per OS, as type aliases (as mio's `kqueue.rs` does); the code under them
//! has no `cfg` at all.

use super::changes::{Action, Change, Filter, Registrations, Returned, readiness};
use crate::ch06_pollers::{Event, Interest, Poller, Token};
use crate::sys::ok_or_errno;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::ptr;

/// `kevent.filter`.
#[cfg(not(target_os = "netbsd"))]
type RawFilter = libc::c_short;
#[cfg(target_os = "netbsd")]
type RawFilter = u32;

/// `kevent.flags`.
#[cfg(not(target_os = "netbsd"))]
type Flags = libc::c_ushort;
#[cfg(target_os = "netbsd")]
type Flags = u32;

/// The `nchanges`/`nevents` arguments of `kevent(2)`.
#[cfg(not(target_os = "netbsd"))]
type Count = libc::c_int;
#[cfg(target_os = "netbsd")]
type Count = libc::size_t;

/// `kevent.udata`.
#[cfg(not(target_os = "netbsd"))]
type UData = *mut libc::c_void;
#[cfg(target_os = "netbsd")]
type UData = libc::intptr_t;

/// A kqueue instance: the kernel's interest list, plus our memory of what each fd watches.
#[derive(Debug)]
pub struct Kqueue {
    /// The kqueue fd.
    kq: OwnedFd,
    /// Each fd's token and interest, so changes can be computed (see [`Registrations`]).
    registrations: Registrations,
    /// Where `kevent` writes, reused between waits.
    buffer: Vec<libc::kevent>,
}

// ANCHOR: to_kevent
/// A [`Change`] as the kernel wants it.
fn to_kevent(change: &Change) -> libc::kevent {
    // SAFETY: `struct kevent` is plain data; all-zero is valid (and zeroes the fields some BSDs
    // add, such as FreeBSD's `ext`).
    let mut kev: libc::kevent = unsafe { std::mem::zeroed() };
    let filter: RawFilter = match change.filter {
        Filter::Read => libc::EVFILT_READ,
        Filter::Write => libc::EVFILT_WRITE,
    };
    let flags: Flags = match change.action {
        Action::Add => libc::EV_ADD,
        Action::Delete => libc::EV_DELETE,
    };
    kev.ident = change.fd as libc::uintptr_t;
    kev.filter = filter;
    kev.flags = flags;
    kev.udata = change.token.0 as UData;
    kev
}

/// A returned `struct kevent` in plain types; `None` for a filter we never ask for.
fn from_kevent(kev: &libc::kevent) -> Option<Returned> {
    let filter: RawFilter = kev.filter;
    let flags: Flags = kev.flags;
    let filter = if filter == libc::EVFILT_READ {
        Filter::Read
    } else if filter == libc::EVFILT_WRITE {
        Filter::Write
    } else {
        return None;
    };
    Some(Returned {
        filter,
        eof: flags & libc::EV_EOF != 0,
        error: flags & libc::EV_ERROR != 0,
        token: Token(kev.udata as usize),
    })
}
// ANCHOR_END: to_kevent

impl Kqueue {
    /// Sends a changelist to the kernel, without waiting for events.
    fn submit(&self, changes: &[Change]) -> io::Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let list: Vec<libc::kevent> = changes.iter().map(to_kevent).collect();
        // SAFETY: `list` holds `list.len()` initialised kevents; no event list (null, 0) and a
        // zero timeout pointer is not needed because nevents is 0, so the call does not block.
        ok_or_errno(unsafe {
            libc::kevent(
                self.kq.as_raw_fd(),
                list.as_ptr(),
                list.len() as Count,
                ptr::null_mut(),
                0,
                ptr::null(),
            )
        })?;
        Ok(())
    }

    /// Computes a change with `plan`, submits it, and undoes the bookkeeping if the kernel
    /// refuses it.
    fn change(
        &mut self,
        fd: BorrowedFd<'_>,
        plan: impl FnOnce(&mut Registrations) -> io::Result<Vec<Change>>,
    ) -> io::Result<()> {
        let fd = fd.as_raw_fd();
        let before = self.registrations.get(fd);
        let changes = plan(&mut self.registrations)?;
        let result = self.submit(&changes);
        if result.is_err() {
            self.registrations.restore(fd, before);
        }
        result
    }
}

impl Poller for Kqueue {
    const NAME: &'static str = "kqueue";

    fn new() -> io::Result<Self> {
        // SAFETY: no arguments.
        let fd = ok_or_errno(unsafe { libc::kqueue() })?;
        // SAFETY: `fd` was just returned by kqueue(2), is open, and nothing else owns it.
        let kq = unsafe { OwnedFd::from_raw_fd(fd) };
        // kqueue(2) has no CLOEXEC flag on every BSD: set it right after.
        // SAFETY: F_SETFD on an open fd with an int argument takes no pointer.
        ok_or_errno(unsafe { libc::fcntl(kq.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
        Ok(Kqueue {
            kq,
            registrations: Registrations::default(),
            buffer: Vec::new(),
        })
    }

    fn register(&mut self, fd: BorrowedFd<'_>, token: Token, interest: Interest) -> io::Result<()> {
        let raw = fd.as_raw_fd();
        self.change(fd, |r| r.register(raw, token, interest))
    }

    fn reregister(
        &mut self,
        fd: BorrowedFd<'_>,
        token: Token,
        interest: Interest,
    ) -> io::Result<()> {
        let raw = fd.as_raw_fd();
        self.change(fd, |r| r.reregister(raw, token, interest))
    }

    fn deregister(&mut self, fd: BorrowedFd<'_>) -> io::Result<()> {
        let raw = fd.as_raw_fd();
        self.change(fd, |r| r.deregister(raw))
    }

    fn wait(&mut self, events: &mut Vec<Event>, max: usize, timeout_ms: i32) -> io::Result<usize> {
        events.clear();
        let max = max.clamp(1, libc::c_int::MAX as usize);
        self.buffer.clear();
        self.buffer.reserve(max);
        let timeout = libc::timespec {
            tv_sec: (timeout_ms / 1000) as libc::time_t,
            tv_nsec: (timeout_ms % 1000) as libc::c_long * 1_000_000,
        };
        let timeout_ptr: *const libc::timespec = if timeout_ms < 0 {
            ptr::null()
        } else {
            &timeout
        };
        // SAFETY: no changelist; `buffer` has room for `max` kevents and the kernel writes at
        // most `max`; `timeout_ptr` is null or points to `timeout`, alive for the call.
        let n = ok_or_errno(unsafe {
            libc::kevent(
                self.kq.as_raw_fd(),
                ptr::null(),
                0,
                self.buffer.as_mut_ptr(),
                max as Count,
                timeout_ptr,
            )
        })? as usize;
        // SAFETY: kevent initialised the first `n` entries, and `n <= max <= capacity`.
        unsafe { self.buffer.set_len(n) };
        events.extend(self.buffer.iter().filter_map(from_kevent).map(readiness));
        Ok(events.len())
    }
}
