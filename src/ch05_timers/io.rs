//! Just enough I/O for the chapter's example: watch an fd for readability and run a callback
//! when it is. Chapter 4's registry does this properly; chapter 7 merges the two.

use super::wait::poll;
use super::{Loop, Trace};
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::time::Instant;

/// Names one watched fd. Ids are never reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WatchId(pub usize);

/// A callback for a readable fd. It gets the loop and its own id: the fd is
/// [`Loop::watched_fd`]`(id)`, and [`Loop::unwatch`]`(id)` stops it.
type ReadableCallback = Box<dyn FnMut(&mut Loop, WatchId)>;

/// One watched fd.
pub(super) struct Watcher {
    /// The fd: the loop owns it, so it cannot be closed while the loop polls it.
    fd: OwnedFd,
    /// `None` while the callback runs.
    callback: Option<ReadableCallback>,
}

impl Loop {
    /// Watches `fd` (the loop takes ownership) and calls `callback` in each poll that finds it
    /// readable: data, end of file, or an error to read. Level-triggered: until the callback
    /// drains the fd, it is called again every turn.
    pub fn watch_readable(
        &mut self,
        fd: OwnedFd,
        callback: impl FnMut(&mut Loop, WatchId) + 'static,
    ) -> WatchId {
        self.watchers.push(Some(Watcher {
            fd,
            callback: Some(Box::new(callback)),
        }));
        self.watching += 1;
        WatchId(self.watchers.len() - 1)
    }

    /// Stops watching `id` and hands its fd back (drop it to close it); `None` if it was not
    /// watched.
    pub fn unwatch(&mut self, id: WatchId) -> Option<OwnedFd> {
        let watcher = self.watchers.get_mut(id.0)?.take()?;
        self.watching -= 1;
        Some(watcher.fd)
    }

    /// The fd watched as `id`, to read from or accept on.
    pub fn watched_fd(&self, id: WatchId) -> Option<BorrowedFd<'_>> {
        Some(self.watchers.get(id.0)?.as_ref()?.fd.as_fd())
    }

    // ANCHOR: poll_io
    /// The poll phase: sleeps in `poll(2)` for at most `timeout_ms`, updates the loop's time,
    /// then runs the callback of each fd found readable.
    ///
    /// **`EINTR` is handled here, and only here:** a signal that interrupts the sleep is the same
    /// as a poll that found nothing. `run` then checks the stop flag and computes a fresh
    /// timeout, so a timer is never delayed by a signal either.
    pub fn poll_io(&mut self, timeout_ms: libc::c_int) -> io::Result<()> {
        let mut ids = Vec::with_capacity(self.watching);
        let mut fds = Vec::with_capacity(self.watching);
        for (i, watcher) in self.watchers.iter().enumerate() {
            if let Some(watcher) = watcher {
                ids.push(WatchId(i));
                fds.push(libc::pollfd {
                    fd: watcher.fd.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                });
            }
        }
        let before = Instant::now();
        let ready = match poll(&mut fds, timeout_ms) {
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => 0,
            Err(e) => return Err(e),
        };
        self.update_time();
        if let Some(trace) = self.trace.as_mut() {
            trace(&Trace {
                timeout_ms,
                slept: self.now.saturating_duration_since(before),
                ready,
            });
        }
        // The list of ready ids is ours, not the loop's: a callback may unwatch any fd, its own
        // or one later in this list, which is then skipped.
        for (id, pollfd) in ids.into_iter().zip(&fds) {
            if pollfd.revents != 0 {
                self.dispatch(id);
            }
        }
        Ok(())
    }
    // ANCHOR_END: poll_io

    fn dispatch(&mut self, id: WatchId) {
        let Some(Some(watcher)) = self.watchers.get_mut(id.0) else {
            return; // unwatched by an earlier callback of this batch
        };
        let Some(mut callback) = watcher.callback.take() else {
            return;
        };
        callback(self, id);
        if let Some(Some(watcher)) = self.watchers.get_mut(id.0) {
            watcher.callback = Some(callback);
        }
    }
}
