//! The part of the signal handle that runs inside a signal handler, and the table it reads.
//!
//! A handler can interrupt any thread between any two instructions, including one that holds a
//! lock or is inside `malloc`, so it may only call what `signal-safety(7)` lists (`write` is
//! there; `malloc`, `printf` and `pthread_mutex_lock` are not) and touch lock-free atomics. Ours
//! looks up which pipes want its signal in a fixed table of atomics and writes one byte to each;
//! everything else (reading the pipe, calling back) happens later, on the loop thread. libuv's
//! `uv__signal_handler` in `src/unix/signal.c` does the same.
//!
//! Closing a pipe while a handler on another thread is about to write to it would let that
//! write hit whatever fd reuses the number. So a handler announces itself in
//! `HANDLERS_RUNNING` before it reads the table, and `Registration`'s `drop` clears its slot,
//! then waits until no handler is running, then closes. (libuv takes a lock made of a pipe, whose
//! `read` and `write` a handler may call, for the same purpose.)

use crate::sys::ok_or_errno;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI32, AtomicUsize, Ordering};

/// How many signal handles may exist at once, in all loops of the process.
pub const MAX_SIGNAL_HANDLES: usize = 64;

/// A table slot's `signum` when nobody uses it.
const FREE: i32 = 0;
/// A slot's `signum` while it is being set up or torn down: taken, but handlers skip it.
const CLAIMED: i32 = -1;

/// One signal handle's entry: which signal it wants and the pipe to write to.
struct Slot {
    /// [`FREE`], [`CLAIMED`], or the signal number: armed.
    signum: AtomicI32,
    /// The write end of the handle's pipe; set before the slot is armed.
    fd: AtomicI32,
}

/// Every signal handle of the process. Fixed size and statically allocated: the handler
/// cannot allocate, and must not see a table that moves.
static TABLE: [Slot; MAX_SIGNAL_HANDLES] = [const {
    Slot {
        signum: AtomicI32::new(FREE),
        fd: AtomicI32::new(-1),
    }
}; MAX_SIGNAL_HANDLES];

/// How many handlers are between reading the table and their last `write`.
static HANDLERS_RUNNING: AtomicUsize = AtomicUsize::new(0);

// ANCHOR: handler
/// The signal handler: one byte into the pipe of every handle that wants `signum`.
///
/// Only async-signal-safe steps: atomic loads and stores, `write(2)` on a non-blocking pipe
/// (`EAGAIN` when 64 KiB of signals sit unread: the pipe is readable anyway, nothing is lost
/// that the loop needs). `errno` is saved and restored, because the interrupted code may be
/// about to read it.
extern "C" fn on_signal(signum: libc::c_int) {
    let saved_errno = errno::get();
    HANDLERS_RUNNING.fetch_add(1, Ordering::SeqCst);
    for slot in &TABLE {
        if slot.signum.load(Ordering::SeqCst) == signum {
            let fd = slot.fd.load(Ordering::SeqCst);
            let byte = signum as u8;
            // SAFETY: write(2) is async-signal-safe; `byte` is valid for one byte; `fd` is the
            // write end of a pipe that stays open while this handler runs (see the module doc).
            unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) };
        }
    }
    HANDLERS_RUNNING.fetch_sub(1, Ordering::SeqCst);
    errno::set(saved_errno);
}
// ANCHOR_END: handler

/// A slot in the table, armed for one signal; dropping it disarms the slot, restores the
/// signal's previous disposition if it was the last handle for that signal, and closes the
/// pipe's write end.
#[derive(Debug)]
pub(crate) struct Registration {
    slot: usize,
    signum: libc::c_int,
    /// Only held: the handler writes to its raw fd, found in the table. Closed when the field
    /// drops, after `drop` has made sure no handler can still be writing to it.
    _write_end: OwnedFd,
}

impl Registration {
    /// Arms a slot: from now on `signum` writes a byte to `write_end` (non-blocking).
    pub(crate) fn new(signum: libc::c_int, write_end: OwnedFd) -> io::Result<Registration> {
        if signum <= 0 {
            // (`sigaction` rejects the other impossible ones, SIGKILL and SIGSTOP included.)
            return Err(io::Error::from_raw_os_error(libc::EINVAL));
        }
        let slot = TABLE
            .iter()
            .position(|s| {
                s.signum
                    .compare_exchange(FREE, CLAIMED, Ordering::SeqCst, Ordering::SeqCst)
                    .is_ok()
            })
            .ok_or_else(|| {
                io::Error::other(format!(
                    "more than {MAX_SIGNAL_HANDLES} signal handles at once"
                ))
            })?;
        TABLE[slot]
            .fd
            .store(write_end.as_raw_fd(), Ordering::SeqCst);
        if let Err(e) = dispositions::acquire(signum) {
            TABLE[slot].fd.store(-1, Ordering::SeqCst);
            TABLE[slot].signum.store(FREE, Ordering::SeqCst);
            return Err(e);
        }
        TABLE[slot].signum.store(signum, Ordering::SeqCst);
        Ok(Registration {
            slot,
            signum,
            _write_end: write_end,
        })
    }

    /// The signal this registration is armed for.
    pub(crate) fn signum(&self) -> libc::c_int {
        self.signum
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        let slot = &TABLE[self.slot];
        slot.signum.store(CLAIMED, Ordering::SeqCst); // handlers that start now skip it
        // A handler that read the slot before that store may still be writing to our fd. It
        // counted itself in before reading the table, so once the count is 0 none can be.
        while HANDLERS_RUNNING.load(Ordering::SeqCst) != 0 {
            std::thread::yield_now();
        }
        slot.fd.store(-1, Ordering::SeqCst);
        dispositions::release(self.signum);
        slot.signum.store(FREE, Ordering::SeqCst);
        // `_write_end` is closed when the field drops, right after this.
    }
}

/// Installing [`on_signal`] for a signal while at least one handle wants it, and putting back
/// what was there before when the last one goes. Ordinary code only (a mutex), never called
/// from a handler.
mod dispositions {
    use super::*;

    /// Per signal: how many handles want it, and the action to restore.
    static INSTALLED: Mutex<Vec<(libc::c_int, usize, Saved)>> = Mutex::new(Vec::new());

    /// A `sigaction` kept to be restored later.
    struct Saved(libc::sigaction);

    // SAFETY: a `sigaction` is plain data (a handler address, a mask, flags); nothing in it is
    // tied to the thread that read it.
    unsafe impl Send for Saved {}

    pub(super) fn acquire(signum: libc::c_int) -> io::Result<()> {
        let mut installed = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(entry) = installed.iter_mut().find(|e| e.0 == signum) {
            entry.1 += 1;
            return Ok(());
        }
        // SAFETY: `sigaction` is plain data; all-zero is a valid starting value.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = on_signal as *const () as libc::sighandler_t;
        // SA_RESTART: the loop learns of the signal from the pipe, not from EINTR, so the
        // system calls it interrupts may as well carry on (libuv sets it too).
        action.sa_flags = libc::SA_RESTART;
        // SAFETY: `action.sa_mask` is a valid, writable sigset_t. A full mask: no other signal
        // interrupts our handler while it runs.
        ok_or_errno(unsafe { libc::sigfillset(&mut action.sa_mask) })?;
        // SAFETY: as above; sigaction writes the old action into `old`.
        let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: `action` is initialised; the handler is an `extern "C" fn(c_int)` that is
        // async-signal-safe; `old` is valid and writable.
        ok_or_errno(unsafe { libc::sigaction(signum, &action, &mut old) })?;
        installed.push((signum, 1, Saved(old)));
        Ok(())
    }

    pub(super) fn release(signum: libc::c_int) {
        let mut installed = INSTALLED.lock().unwrap_or_else(|e| e.into_inner());
        let Some(i) = installed.iter().position(|e| e.0 == signum) else {
            return;
        };
        installed[i].1 -= 1;
        if installed[i].1 == 0 {
            let (_, _, Saved(old)) = installed.swap_remove(i);
            // SAFETY: `old` is the action sigaction gave us for this signal. It cannot fail for
            // a signal we installed a handler for; if it did, our handler simply stays, and
            // finds no slot to write to.
            unsafe { libc::sigaction(signum, &old, std::ptr::null_mut()) };
        }
    }
}

/// Reading and writing `errno` of the current thread, which a handler must leave as it was.
#[cfg(any(target_os = "linux", target_os = "android"))]
mod errno {
    pub(super) fn get() -> libc::c_int {
        // SAFETY: __errno_location returns a valid pointer to this thread's errno.
        unsafe { *libc::__errno_location() }
    }
    pub(super) fn set(value: libc::c_int) {
        // SAFETY: as above; writing it is what errno is for.
        unsafe { *libc::__errno_location() = value }
    }
}

/// Reading and writing `errno` of the current thread, which a handler must leave as it was.
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "dragonfly"
))]
mod errno {
    pub(super) fn get() -> libc::c_int {
        // SAFETY: __error returns a valid pointer to this thread's errno.
        unsafe { *libc::__error() }
    }
    pub(super) fn set(value: libc::c_int) {
        // SAFETY: as above; writing it is what errno is for.
        unsafe { *libc::__error() = value }
    }
}

/// Reading and writing `errno` of the current thread, which a handler must leave as it was.
#[cfg(any(target_os = "openbsd", target_os = "netbsd"))]
mod errno {
    pub(super) fn get() -> libc::c_int {
        // SAFETY: __errno returns a valid pointer to this thread's errno.
        unsafe { *libc::__errno() }
    }
    pub(super) fn set(value: libc::c_int) {
        // SAFETY: as above; writing it is what errno is for.
        unsafe { *libc::__errno() = value }
    }
}
