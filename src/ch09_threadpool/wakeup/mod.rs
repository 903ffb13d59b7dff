//! Waking a loop from another thread: an fd the loop watches, which any thread can make
//! readable.
//!
//! One type, [`Wakeup`], with three backends, each in its own file:
//!
//! | backend | file | a wake | draining | where |
//! | --- | --- | --- | --- | --- |
//! | [`EventFd`] | `eventfd.rs` | `write` 8 bytes (+1) | one `read` of the counter | Linux |
//! | `UserEvent` | `user_event.rs` | `kevent(NOTE_TRIGGER)` | one `kevent` with timeout 0 | macOS, the BSDs |
//! | [`Pipe`] | `pipe.rs` | `write` 1 byte | `read` until a short read | everywhere |
//!
//! [`Wakeup::new`] picks the best one for the OS ([`NativeWakeup`] names it, a type alias chosen
//! per OS, so no function body has a `cfg`); [`Wakeup::pipe`] forces the fallback, so the pipe is
//! tested and measured on Linux too.
//!
//! The contract: [`wake`](Wakeup::wake) may be called from any thread, any number of times, and
//! leaves [`fd`](Wakeup::fd) readable until the loop thread calls [`drain`](Wakeup::drain). A
//! wake never blocks and never fails because wakes are already waiting. Wakes do not queue
//! anything: many wakes before a drain are one readable fd.

#[cfg(any(target_os = "linux", target_os = "android"))]
mod eventfd;
mod pipe;
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
mod user_event;

#[cfg(any(target_os = "linux", target_os = "android"))]
pub use eventfd::EventFd;
pub use pipe::Pipe;
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
pub use user_event::UserEvent;

use std::io;
use std::os::fd::BorrowedFd;

/// The wakeup this OS does best: an eventfd on Linux.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub type NativeWakeup = EventFd;

/// The wakeup this OS does best: an `EVFILT_USER` kqueue event on macOS and the BSDs.
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
pub type NativeWakeup = UserEvent;

/// The wakeup this OS does best: a pipe, where there is neither eventfd nor kqueue.
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
pub type NativeWakeup = Pipe;

/// A wakeup: the native one for the OS, or the pipe fallback.
#[derive(Debug)]
pub struct Wakeup {
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Native(NativeWakeup),
    Pipe(Pipe),
}

impl Wakeup {
    /// The OS's best wakeup ([`NativeWakeup`]).
    pub fn new() -> io::Result<Wakeup> {
        Ok(Wakeup {
            backend: Backend::Native(NativeWakeup::new()?),
        })
    }

    /// The portable fallback, a pipe, whatever the OS.
    pub fn pipe() -> io::Result<Wakeup> {
        Ok(Wakeup {
            backend: Backend::Pipe(Pipe::new()?),
        })
    }

    /// Which backend this is: `"eventfd"`, `"EVFILT_USER"` or `"pipe"`.
    pub fn name(&self) -> &'static str {
        match &self.backend {
            Backend::Native(_) => NATIVE_NAME,
            Backend::Pipe(_) => "pipe",
        }
    }

    /// The fd the loop watches: readable after a wake, until the next drain.
    pub fn fd(&self) -> BorrowedFd<'_> {
        match &self.backend {
            Backend::Native(w) => w.fd(),
            Backend::Pipe(w) => w.fd(),
        }
    }

    /// Makes [`fd`](Self::fd) readable. Any thread; never blocks.
    pub fn wake(&self) -> io::Result<()> {
        match &self.backend {
            Backend::Native(w) => w.wake(),
            Backend::Pipe(w) => w.wake(),
        }
    }

    /// Consumes the wakes so the fd is no longer readable (loop thread). Returns how many wakes
    /// it consumed, as far as the backend can tell (an `EVFILT_USER` event only says whether it
    /// fired: 0 or 1).
    pub fn drain(&self) -> io::Result<u64> {
        match &self.backend {
            Backend::Native(w) => w.drain(),
            Backend::Pipe(w) => w.drain(),
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android"))]
const NATIVE_NAME: &str = "eventfd";
#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
const NATIVE_NAME: &str = "EVFILT_USER";
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
const NATIVE_NAME: &str = "pipe";

/// Repeats a raw `read`/`write` while a signal interrupts it (`EINTR`), and turns `-1` into the
/// error.
pub(crate) fn retry_eintr(mut call: impl FnMut() -> isize) -> io::Result<usize> {
    loop {
        match crate::sys::ok_or_errno(call()) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            other => return other.map(|n| n as usize),
        }
    }
}

/// A wake that found the fd readable already (`EAGAIN`: counter at its maximum, pipe full) has
/// done its job.
fn ignore_eagain(result: io::Result<usize>) -> io::Result<()> {
    match result {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ch06_pollers::{DefaultPoller, Interest, Poller, Token};

    fn both() -> [Wakeup; 2] {
        [Wakeup::new().unwrap(), Wakeup::pipe().unwrap()]
    }

    fn readable(w: &Wakeup) -> bool {
        let mut poller = DefaultPoller::new().unwrap();
        poller
            .register(w.fd(), Token(0), Interest::READABLE)
            .unwrap();
        let mut events = Vec::new();
        poller.wait(&mut events, 4, 0).unwrap() == 1
    }

    #[test]
    fn a_wake_makes_the_fd_readable_until_drained() {
        for w in both() {
            assert!(!readable(&w), "{}: readable before any wake", w.name());
            w.wake().unwrap();
            assert!(readable(&w), "{}", w.name());
            assert_eq!(w.drain().unwrap(), 1, "{}", w.name());
            assert!(!readable(&w), "{}: still readable after drain", w.name());
            assert_eq!(
                w.drain().unwrap(),
                0,
                "{}: a second drain finds nothing",
                w.name()
            );
        }
    }

    #[test]
    fn many_wakes_are_one_readable_fd_and_one_drain() {
        for w in both() {
            for _ in 0..5000 {
                w.wake().unwrap(); // 5000 bytes into the pipe: more than one 1024-byte read
            }
            assert!(readable(&w));
            assert_eq!(w.drain().unwrap(), 5000, "{}", w.name());
            assert!(!readable(&w));
        }
    }

    #[test]
    fn a_full_pipe_still_wakes_without_error() {
        let w = Wakeup::pipe().unwrap();
        for _ in 0..200_000 {
            w.wake().unwrap(); // the pipe fills after ~64 KiB; EAGAIN counts as woken
        }
        assert!(readable(&w));
        assert!(w.drain().unwrap() >= 4096);
        assert!(!readable(&w));
    }

    #[test]
    fn wakes_from_other_threads_are_seen() {
        let w = std::sync::Arc::new(Wakeup::new().unwrap());
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let w = w.clone();
                std::thread::spawn(move || {
                    for _ in 0..1000 {
                        w.wake().unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(w.drain().unwrap(), 4000);
    }
}
