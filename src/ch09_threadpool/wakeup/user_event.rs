//! macOS and the BSDs: an `EVFILT_USER` event, kqueue's own wakeup. It is not an fd but an event
//! that any thread can trigger with `kevent(NOTE_TRIGGER)`.
//!
//! The loop's poller only watches fds, so the event lives in a small kqueue of its own, and that
//! kqueue's fd is what the loop watches: a kqueue fd is readable while it holds a triggered event.
//! (mio puts `EVFILT_USER` straight into the loop's kqueue, which needs the poller's help; this
//! way the wakeup works behind any poller.) `EV_CLEAR` resets the event when it is read.
//!
//! # Portability
//!
//! `kqueue(2)`, `kevent(2)`, `EVFILT_USER` (macOS ≥ 10.6, FreeBSD ≥ 8, NetBSD ≥ 10, OpenBSD ≥
//! 7.4, DragonFly). Compiled only where kqueue exists.

use crate::sys::ok_or_errno;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::ptr;

/// The identifier of the one user event in the private kqueue.
const IDENT: libc::uintptr_t = 0;

/// A private kqueue holding one `EVFILT_USER` event.
#[derive(Debug)]
pub struct UserEvent {
    /// The private kqueue: readable while the user event is triggered.
    kq: OwnedFd,
}

/// A `struct kevent` for the user event with `flags` and `fflags`.
fn user_kevent(flags: u32, fflags: u32) -> libc::kevent {
    // SAFETY: `struct kevent` is plain data; all-zero is a valid value.
    let mut kev: libc::kevent = unsafe { std::mem::zeroed() };
    kev.ident = IDENT;
    kev.filter = libc::EVFILT_USER as _;
    kev.flags = flags as _;
    kev.fflags = fflags as _;
    kev
}

impl UserEvent {
    /// A new private kqueue with the user event added (`EV_ADD | EV_CLEAR`), not triggered.
    pub fn new() -> io::Result<UserEvent> {
        // SAFETY: kqueue takes no arguments.
        let kq = ok_or_errno(unsafe { libc::kqueue() })?;
        // SAFETY: `kq` was just returned by kqueue(2), is open, and nothing else owns it.
        let kq = unsafe { OwnedFd::from_raw_fd(kq) };
        // SAFETY: F_SETFD on an open fd with an int argument takes no pointer.
        ok_or_errno(unsafe { libc::fcntl(kq.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
        let event = UserEvent { kq };
        event.change(user_kevent((libc::EV_ADD | libc::EV_CLEAR) as u32, 0))?;
        Ok(event)
    }

    /// The private kqueue's fd, which the loop watches for readability.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.kq.as_fd()
    }

    /// Triggers the event (`NOTE_TRIGGER`). Safe from any thread; triggering a triggered event
    /// changes nothing.
    pub fn wake(&self) -> io::Result<()> {
        self.change(user_kevent(0, libc::NOTE_TRIGGER))
    }

    /// Collects the event if it was triggered, which resets it (`EV_CLEAR`): 1 if it was, else 0.
    pub fn drain(&self) -> io::Result<u64> {
        // SAFETY: `struct kevent` is plain data; all-zero is a valid value for the kernel to
        // overwrite.
        let mut out: libc::kevent = unsafe { std::mem::zeroed() };
        let zero = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: no changes; `out` has room for the one event we ask for; `zero` is a valid
        // timespec, so the call does not block.
        let n = ok_or_errno(unsafe {
            libc::kevent(self.kq.as_raw_fd(), ptr::null(), 0, &mut out, 1, &zero)
        })?;
        Ok(n as u64)
    }

    fn change(&self, kev: libc::kevent) -> io::Result<()> {
        // SAFETY: one valid change, no event buffer (so no wait happens).
        ok_or_errno(unsafe {
            libc::kevent(
                self.kq.as_raw_fd(),
                &kev,
                1,
                ptr::null_mut(),
                0,
                ptr::null(),
            )
        })?;
        Ok(())
    }
}
