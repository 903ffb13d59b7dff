//! The signal handle (libuv's `uv_signal_t`, `src/unix/signal.c`): a signal becomes a callback
//! on the loop thread, in the poll phase, like any I/O.
//!
//! Each handle has a pipe. The signal handler ([`handler`]) writes one byte into it; the loop
//! watches the read end with an ordinary I/O watcher, and its callback reads the bytes and calls
//! back once per signal caught. The pipe is what fixes the Ctrl-C race of chapters 1–8: a flag
//! set by a handler is lost on a thread that checked it a moment before blocking, but a byte in a
//! pipe is not lost: the blocking call finds the pipe readable and returns at once.
//!
//! Stop watching by closing the handle (`lp.close(handle, ..)`): the slot in the handler's table
//! is released and, when it was the last handle for that signal, the signal's previous
//! disposition comes back. `lp.unref(handle)` keeps it watching without keeping the loop alive.

pub mod handler;
pub mod race;

use crate::ch06_pollers::{Interest, Poller};
use crate::ch07_phases::{Handle, Loop};
use crate::sys::pipe::nonblocking_pipe;
use handler::Registration;
use std::io;
use std::os::fd::AsRawFd;

pub use handler::MAX_SIGNAL_HANDLES;

impl<D, P: Poller> Loop<D, P> {
    // ANCHOR: signal_start
    /// Watches signal `signum` (`uv_signal_init` + `uv_signal_start`): `callback` runs on the
    /// loop thread, in the poll phase, once per signal caught, with the handle and the signal.
    ///
    /// The handle is active and referenced: it keeps the loop alive until closed or
    /// unreferenced. Errors: `EINVAL` for a signal that cannot be caught (`SIGKILL`, `SIGSTOP`,
    /// 0 or out of range); an error when [`MAX_SIGNAL_HANDLES`] handles exist already.
    pub fn signal_start(
        &mut self,
        signum: libc::c_int,
        mut callback: impl FnMut(&mut Self, Handle, libc::c_int) + 'static,
    ) -> io::Result<Handle> {
        let (read_end, write_end) = nonblocking_pipe()?;
        let registration = Registration::new(signum, write_end)?;
        let handle = self.io_init(read_end);
        self.set_name(handle, "signal");
        // The watcher's callback owns the registration: closing the handle drops the callback,
        // which disarms the handler's slot and closes the write end.
        let started = self.io_start(handle, Interest::READABLE, move |lp, me, _event| {
            let signum = registration.signum();
            let caught = match lp.io_fd(me) {
                Some(fd) => drain_count(fd.as_raw_fd()),
                None => 0,
            };
            for _ in 0..caught {
                callback(lp, me, signum);
                if lp.is_closing(me) {
                    break;
                }
            }
        });
        if let Err(e) = started {
            self.close(handle, |_, _| {});
            return Err(e);
        }
        Ok(handle)
    }
    // ANCHOR_END: signal_start
}

/// Reads a non-blocking pipe until it is empty; returns how many bytes were in it.
fn drain_count(fd: libc::c_int) -> u64 {
    let mut buf = [0u8; 256];
    let mut total = 0;
    loop {
        let n = super::wakeup::retry_eintr(|| {
            // SAFETY: `buf` is valid for writes of its length for the duration of the call.
            unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) }
        });
        match n {
            Ok(n) if n == buf.len() => total += n as u64,
            Ok(n) => return total + n as u64,
            // EAGAIN: empty. Any other error cannot happen on a pipe we own; stop reading.
            Err(_) => return total,
        }
    }
}
