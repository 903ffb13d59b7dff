//! Stopping a program cleanly on Ctrl-C (`SIGINT`) or `SIGTERM`.
//!
//! A signal handler may do almost nothing safely: no allocation, no locks, no printing. Ours
//! stores `true` into a static atomic and returns. It is installed *without* `SA_RESTART`, so a
//! thread blocked in `accept`, `read`, `select` or `epoll_wait` comes back with `EINTR`; the loop
//! then sees [`stop_requested`] and leaves by the front door, closing its sockets and printing
//! its summary. (Chapter 9 shows the event-loop way: a signal turned into a readable fd.)

use super::ok_or_errno;
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_stop_signal(_signal: libc::c_int) {
    // Async-signal-safe: a lock-free atomic store is all this handler does.
    STOP.store(true, Ordering::SeqCst);
}

/// Installs the handler for `SIGINT` and `SIGTERM`. Call it once, early in `main`.
pub fn install_stop_handler() -> io::Result<()> {
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `sigaction` is plain data; all-zero is a valid starting value (empty mask, no
        // flags), which we then fill in.
        let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
        action.sa_sigaction = on_stop_signal as *const () as libc::sighandler_t;
        // No SA_RESTART: blocking calls must return EINTR so the loop notices the flag.
        action.sa_flags = 0;
        // SAFETY: `action.sa_mask` is a valid, writable sigset_t.
        ok_or_errno(unsafe { libc::sigemptyset(&mut action.sa_mask) })?;
        // SAFETY: `action` is fully initialised, the handler is an `extern "C" fn(c_int)` that only
        // touches an atomic, and we do not ask for the old action.
        ok_or_errno(unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) })?;
    }
    Ok(())
}

/// Whether `SIGINT` or `SIGTERM` has arrived since [`install_stop_handler`].
pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Blocks `SIGINT` and `SIGTERM` in the calling thread, so the kernel delivers them to a thread
/// that has them unblocked (the main thread). Call it first thing in a worker thread: otherwise
/// Ctrl-C may land on a worker, interrupting its `read` while the main thread sleeps on in
/// `accept`.
pub fn block_stop_signals_in_this_thread() -> io::Result<()> {
    // SAFETY: `set` is a valid, writable sigset_t, initialised by sigemptyset before any use.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `set` is valid and writable.
    ok_or_errno(unsafe { libc::sigemptyset(&mut set) })?;
    for signal in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: `set` is an initialised sigset_t and `signal` a valid signal number.
        ok_or_errno(unsafe { libc::sigaddset(&mut set, signal) })?;
    }
    // SAFETY: `set` is initialised; we do not ask for the old mask. pthread_sigmask returns the
    // error number instead of setting errno.
    let err = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut()) };
    if err != 0 {
        return Err(io::Error::from_raw_os_error(err));
    }
    Ok(())
}
