//! The async handle (libuv's `uv_async_t`, `src/unix/async.c`): a handle whose callback any
//! thread can ask for, with a [`AsyncSender`], and whose sends coalesce.
//!
//! Underneath it is an ordinary chapter-7 I/O watcher on a [`Wakeup`] fd, plus one atomic flag.
//! A send sets the flag and wakes the fd, but only if the flag was clear: while a callback is
//! already owed, more sends cost no system call and add no callback. The loop thread, when the
//! fd is readable, drains it, clears the flag and runs the callback once.

use super::wakeup::Wakeup;
use crate::ch06_pollers::{Interest, Poller};
use crate::ch07_phases::{Handle, Loop};
use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// What the loop and every sender of one async handle share.
#[derive(Debug)]
struct Shared {
    /// A callback is owed: set by the first send, cleared by the loop just before the callback.
    pending: AtomicBool,
    /// The fd the loop watches (the loop watches a duplicate of it, see [`Loop::async_init`]).
    wakeup: Wakeup,
    /// How many sends made the system call (the others coalesced). Counted on the slow path
    /// only, so it costs nothing where coalescing saves.
    wakes: AtomicU64,
}

/// Asks for an async handle's callback from any thread: `Send + Sync + Clone`.
///
/// A send made after the handle was closed (or the loop dropped) does nothing harmful: it writes
/// to a wakeup that nobody reads any more, at most once.
#[derive(Debug, Clone)]
pub struct AsyncSender {
    shared: Arc<Shared>,
}

impl AsyncSender {
    // ANCHOR: send
    /// Makes the handle's callback run soon on the loop thread (`uv_async_send`).
    ///
    /// Sends coalesce: the callback runs at least once after this call, but many sends before
    /// it runs are one callback, and only the first makes a system call. The callback must
    /// therefore look at what is waiting for it (a queue, a counter), not assume one send each.
    /// Publish that data behind a mutex (as the thread pool's completion queue does) or with
    /// `SeqCst` atomics: the flag's operations are `SeqCst`, so a send that finds the flag
    /// already set is still ordered before the callback that clears it.
    pub fn send(&self) -> io::Result<()> {
        // The cheap check first: a plain load, no cache line taken exclusively. While a
        // callback is owed, this is the whole cost of a send.
        if self.shared.pending.load(Ordering::SeqCst) {
            return Ok(());
        }
        // Several threads may get here at once; the swap lets exactly one of them wake the loop.
        if self.shared.pending.swap(true, Ordering::SeqCst) {
            return Ok(());
        }
        self.shared.wakes.fetch_add(1, Ordering::Relaxed);
        self.shared.wakeup.wake()
    }
    // ANCHOR_END: send

    /// How many sends so far made the system call that wakes the loop; the others coalesced.
    pub fn wakes(&self) -> u64 {
        self.shared.wakes.load(Ordering::Relaxed)
    }

    /// Which wakeup the handle uses: `"eventfd"`, `"EVFILT_USER"` or `"pipe"`.
    pub fn wakeup_name(&self) -> &'static str {
        self.shared.wakeup.name()
    }
}

impl Shared {
    // ANCHOR: receive
    /// On the loop thread, when the wakeup fd is readable: whether a callback is owed.
    ///
    /// Drain first, clear the flag second. The other order loses a wakeup: a send landing
    /// between "clear" and "drain" would set the flag and write, the drain would eat its write,
    /// and the flag would stay set with nothing left to wake the loop, so every later send
    /// would be skipped too.
    fn take_pending(&self) -> bool {
        // Reading a wakeup we own cannot fail (EAGAIN is reported as 0 wakes); if the kernel
        // ever disagrees, the fd stays readable and we are called again.
        let _ = self.wakeup.drain();
        self.pending.swap(false, Ordering::SeqCst)
    }
    // ANCHOR_END: receive
}

impl<D, P: Poller> Loop<D, P> {
    /// A new async handle on the OS's best wakeup (`uv_async_init`): `callback` runs on the loop
    /// thread, in the poll phase, after one or more [`AsyncSender::send`]s.
    ///
    /// The handle is active and referenced at once, so it keeps the loop alive until it is
    /// closed (`lp.close(handle, ..)`) or unreferenced (`lp.unref(handle)`), as in libuv.
    /// It costs two fds: the wakeup, which the senders keep, and a duplicate the loop watches
    /// and closes with the handle, so a late send can never hit a closed (or reused) fd number.
    pub fn async_init(
        &mut self,
        callback: impl FnMut(&mut Self, Handle) + 'static,
    ) -> io::Result<(Handle, AsyncSender)> {
        self.async_init_with(Wakeup::new()?, callback)
    }

    // ANCHOR: async_init
    /// [`async_init`](Self::async_init) on a wakeup of the caller's choice (such as
    /// [`Wakeup::pipe`], to compare it with the native one).
    pub fn async_init_with(
        &mut self,
        wakeup: Wakeup,
        mut callback: impl FnMut(&mut Self, Handle) + 'static,
    ) -> io::Result<(Handle, AsyncSender)> {
        let shared = Arc::new(Shared {
            pending: AtomicBool::new(false),
            wakeup,
            wakes: AtomicU64::new(0),
        });
        let watched = shared.wakeup.fd().try_clone_to_owned()?; // F_DUPFD_CLOEXEC
        let handle = self.io_init(watched);
        self.set_name(handle, "async");
        let receiver = shared.clone();
        let started = self.io_start(handle, Interest::READABLE, move |lp, me, _event| {
            if receiver.take_pending() {
                callback(lp, me);
            }
        });
        if let Err(e) = started {
            self.close(handle, |_, _| {});
            return Err(e);
        }
        Ok((handle, AsyncSender { shared }))
    }
    // ANCHOR_END: async_init
}
