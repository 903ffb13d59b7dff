//! Starting, stopping and closing handles: libuv's `uv_timer_*`, `uv_idle_*`, `uv_prepare_*`,
//! `uv_check_*`, `uv_poll_*`, `uv_ref`/`uv_unref` and `uv_close`, without the `uv_`.
//!
//! Every operation on a stale handle (closed and gone) or on a handle of another kind does
//! nothing and returns `false` (or, for the calls that return an `io::Result`, `EINVAL`): a
//! callback holding an old handle cannot corrupt the loop.

use super::Loop;
use super::handle::{Handle, Kind};
use crate::ch05_timers::deadline_after;
use crate::ch06_pollers::{Event, Interest, Poller, Token};
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::Duration;

/// Which of the per-turn lists a handle kind lives on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Idle,
    Prepare,
    Check,
}

impl<D, P: Poller> Loop<D, P> {
    // ---- activity and references: what keeps the loop alive -------------------------------

    // ANCHOR: activate
    /// Marks a handle active; if it is referenced it now keeps the loop alive.
    pub(crate) fn activate(&mut self, handle: Handle) {
        self.starts += 1;
        let starts = self.starts;
        let Some(slot) = self.slot_mut(handle) else {
            return;
        };
        slot.started_at = starts;
        if !slot.active {
            slot.active = true;
            if slot.referenced {
                self.active_refs += 1;
            }
        }
    }

    /// Marks a handle inactive; it no longer keeps the loop alive.
    pub(crate) fn deactivate(&mut self, handle: Handle) {
        let Some(slot) = self.slot_mut(handle) else {
            return;
        };
        if slot.active {
            slot.active = false;
            if slot.referenced {
                self.active_refs -= 1;
            }
        }
    }

    /// Lets the handle keep the loop alive again while it is active (`uv_ref`).
    pub fn ref_handle(&mut self, handle: Handle) -> bool {
        let Some(slot) = self.slot_mut(handle) else {
            return false;
        };
        if !slot.referenced {
            slot.referenced = true;
            if slot.active {
                self.active_refs += 1;
            }
        }
        true
    }

    /// Stops the handle from keeping the loop alive (`uv_unref`): an unreferenced timer still
    /// fires if the loop is running for other reasons, but the loop does not wait for it.
    pub fn unref(&mut self, handle: Handle) -> bool {
        let Some(slot) = self.slot_mut(handle) else {
            return false;
        };
        if slot.referenced {
            slot.referenced = false;
            if slot.active {
                self.active_refs -= 1;
            }
        }
        true
    }
    // ANCHOR_END: activate

    /// Whether the handle keeps the loop alive while active (`uv_has_ref`).
    pub fn has_ref(&self, handle: Handle) -> bool {
        self.slot(handle).is_some_and(|s| s.referenced)
    }

    /// Whether the handle is started and not closing (`uv_is_active`).
    pub fn is_active(&self, handle: Handle) -> bool {
        self.slot(handle).is_some_and(|s| s.active && !s.closing)
    }

    /// Whether `close` was called on the handle, or it is gone (`uv_is_closing`).
    pub fn is_closing(&self, handle: Handle) -> bool {
        self.slot(handle).is_none_or(|s| s.closing)
    }

    /// Names the handle in the trace.
    pub fn set_name(&mut self, handle: Handle, name: impl Into<String>) -> bool {
        let Some(slot) = self.slot_mut(handle) else {
            return false;
        };
        slot.name = Some(name.into());
        true
    }

    // ---- timers -------------------------------------------------------------------------------

    /// A new, stopped timer (`uv_timer_init`).
    pub fn timer_init(&mut self) -> Handle {
        self.alloc(Kind::Timer {
            id: None,
            repeat: Duration::ZERO,
            ever_started: false,
        })
    }

    // ANCHOR: timer_start
    /// Starts (or restarts) a timer: `callback` runs in the first timers phase at least `timeout`
    /// after the loop time, then every `repeat` if that is not zero (`uv_timer_start`).
    ///
    /// A deadline past the end of `Instant`'s range (`Duration::MAX`, say) is clamped, as libuv
    /// clamps `loop->time + timeout` to the largest time it can hold: such a timer simply never
    /// comes due.
    pub fn timer_start(
        &mut self,
        handle: Handle,
        timeout: Duration,
        repeat: Duration,
        callback: impl FnMut(&mut Self, Handle) + 'static,
    ) -> bool {
        if self.is_closing(handle) || !self.timer_stop(handle) {
            return false;
        }
        let deadline = deadline_after(self.now, timeout);
        let id = self.timers.push(deadline, handle);
        let Some(slot) = self.slot_mut(handle) else {
            return false;
        };
        slot.kind = Some(Kind::Timer {
            id: Some(id),
            repeat,
            ever_started: true,
        });
        slot.callback = Some(Box::new(callback));
        self.activate(handle);
        true
    }
    // ANCHOR_END: timer_start

    /// Stops a timer; its callback does not run (`uv_timer_stop`).
    pub fn timer_stop(&mut self, handle: Handle) -> bool {
        let Some(Kind::Timer { id, .. }) = self.slot_mut(handle).and_then(|s| s.kind.as_mut())
        else {
            return false;
        };
        if let Some(id) = id.take() {
            self.timers.cancel(id);
        }
        self.deactivate(handle);
        true
    }

    // ANCHOR: timer_again
    /// Restarts a repeating timer `repeat` from the loop time (`uv_timer_again`); a timer whose
    /// repeat is zero is left alone. Handy to push back an inactivity timeout each time data
    /// arrives, without a new timer per packet.
    ///
    /// Fails with `EINVAL`, as libuv does, for a timer that was never started (it has no callback
    /// to run), and for a closing or stale handle or one that is not a timer.
    pub fn timer_again(&mut self, handle: Handle) -> io::Result<()> {
        let repeat = match self.slot(handle).and_then(|s| s.kind.as_ref()) {
            Some(Kind::Timer {
                repeat,
                ever_started: true,
                ..
            }) if !self.is_closing(handle) => *repeat,
            _ => return Err(io::Error::from_raw_os_error(libc::EINVAL)),
        };
        if !repeat.is_zero() {
            self.timer_rearm(handle, repeat);
        }
        Ok(())
    }

    /// Moves a started timer's deadline to `repeat` after the loop time and makes it active.
    pub(crate) fn timer_rearm(&mut self, handle: Handle, repeat: Duration) {
        self.timer_stop(handle);
        let id = self.timers.push(deadline_after(self.now, repeat), handle);
        if let Some(Kind::Timer { id: slot_id, .. }) =
            self.slot_mut(handle).and_then(|s| s.kind.as_mut())
        {
            *slot_id = Some(id);
        }
        self.activate(handle);
    }
    // ANCHOR_END: timer_again

    /// The repeat of a timer (`uv_timer_get_repeat`); `None` for a handle that is not a timer.
    pub fn timer_repeat(&self, handle: Handle) -> Option<Duration> {
        match self.slot(handle)?.kind.as_ref()? {
            Kind::Timer { repeat, .. } => Some(*repeat),
            _ => None,
        }
    }

    /// Changes the repeat of a timer; it takes effect at the next restart (`uv_timer_set_repeat`).
    pub fn timer_set_repeat(&mut self, handle: Handle, repeat: Duration) -> bool {
        let Some(Kind::Timer { repeat: r, .. }) =
            self.slot_mut(handle).and_then(|s| s.kind.as_mut())
        else {
            return false;
        };
        *r = repeat;
        true
    }

    // ---- idle, prepare, check -----------------------------------------------------------------

    /// A new, stopped idle handle (`uv_idle_init`).
    pub fn idle_init(&mut self) -> Handle {
        self.alloc(Kind::Idle)
    }

    /// Starts an idle handle: `callback` runs once per turn, and while any idle handle is active
    /// the poll phase does not block (`uv_idle_start`).
    pub fn idle_start(
        &mut self,
        handle: Handle,
        callback: impl FnMut(&mut Self, Handle) + 'static,
    ) -> bool {
        self.list_start(ListKind::Idle, handle, Box::new(callback))
    }

    /// Stops an idle handle (`uv_idle_stop`).
    pub fn idle_stop(&mut self, handle: Handle) -> bool {
        self.list_stop(ListKind::Idle, handle)
    }

    /// A new, stopped prepare handle (`uv_prepare_init`).
    pub fn prepare_init(&mut self) -> Handle {
        self.alloc(Kind::Prepare)
    }

    /// Starts a prepare handle: `callback` runs once per turn, right before the poll phase
    /// (`uv_prepare_start`).
    pub fn prepare_start(
        &mut self,
        handle: Handle,
        callback: impl FnMut(&mut Self, Handle) + 'static,
    ) -> bool {
        self.list_start(ListKind::Prepare, handle, Box::new(callback))
    }

    /// Stops a prepare handle (`uv_prepare_stop`).
    pub fn prepare_stop(&mut self, handle: Handle) -> bool {
        self.list_stop(ListKind::Prepare, handle)
    }

    /// A new, stopped check handle (`uv_check_init`).
    pub fn check_init(&mut self) -> Handle {
        self.alloc(Kind::Check)
    }

    /// Starts a check handle: `callback` runs once per turn, right after the poll phase
    /// (`uv_check_start`). Node's `setImmediate` queue runs from one.
    pub fn check_start(
        &mut self,
        handle: Handle,
        callback: impl FnMut(&mut Self, Handle) + 'static,
    ) -> bool {
        self.list_start(ListKind::Check, handle, Box::new(callback))
    }

    /// Stops a check handle (`uv_check_stop`).
    pub fn check_stop(&mut self, handle: Handle) -> bool {
        self.list_stop(ListKind::Check, handle)
    }

    fn list(&mut self, list: ListKind) -> &mut Vec<Handle> {
        match list {
            ListKind::Idle => &mut self.idle_handles,
            ListKind::Prepare => &mut self.prepare_handles,
            ListKind::Check => &mut self.check_handles,
        }
    }

    fn kind_matches(&self, list: ListKind, handle: Handle) -> bool {
        matches!(
            (list, self.slot(handle).and_then(|s| s.kind.as_ref())),
            (ListKind::Idle, Some(Kind::Idle))
                | (ListKind::Prepare, Some(Kind::Prepare))
                | (ListKind::Check, Some(Kind::Check))
        )
    }

    fn list_start(
        &mut self,
        list: ListKind,
        handle: Handle,
        callback: super::Callback<D, P>,
    ) -> bool {
        if !self.kind_matches(list, handle) || self.is_closing(handle) {
            return false;
        }
        let slot = self.slot_mut(handle).expect("kind_matches saw the slot");
        slot.callback = Some(callback);
        if slot.active {
            // Already started: libuv keeps its place and only swaps nothing; we swap the
            // callback, which is what a caller restarting it means.
            return true;
        }
        // At the front: libuv's `uv_idle_start` (and prepare, check) inserts the handle at the
        // head of its queue, so of two handles of one kind the one started last runs first.
        self.list(list).insert(0, handle);
        self.activate(handle);
        true
    }

    fn list_stop(&mut self, list: ListKind, handle: Handle) -> bool {
        if !self.kind_matches(list, handle) {
            return false;
        }
        self.list(list).retain(|&h| h != handle);
        self.deactivate(handle);
        true
    }

    // ---- I/O watchers -------------------------------------------------------------------------

    /// A new, stopped I/O watcher that owns `fd` (make it non-blocking first). Closing the
    /// handle closes the fd, as `uv_close` closes a socket's.
    pub fn io_init(&mut self, fd: OwnedFd) -> Handle {
        self.alloc(Kind::Io {
            fd: Some(fd),
            interest: None,
        })
    }

    /// The fd of an I/O watcher, to read and write it from its callback.
    pub fn io_fd(&self, handle: Handle) -> Option<BorrowedFd<'_>> {
        match self.slot(handle)?.kind.as_ref()? {
            Kind::Io { fd: Some(fd), .. } => Some(fd.as_fd()),
            _ => None,
        }
    }

    /// The fd of an I/O watcher together with the loop's data, borrowed at once: a callback
    /// that reads from its socket into buffers kept in the data needs both.
    pub fn io_fd_with_data(&mut self, handle: Handle) -> Option<(BorrowedFd<'_>, &mut D)> {
        let slot = self
            .slots
            .get(self.index_of(handle)?)
            .filter(|s| s.generation == handle.generation)?;
        match slot.kind.as_ref()? {
            Kind::Io { fd: Some(fd), .. } => Some((fd.as_fd(), &mut self.data)),
            _ => None,
        }
    }

    /// Changes what a started (or stopped) watcher asks for and keeps its callback: one
    /// `epoll_ctl` and no allocation, for a server that turns read or write interest on and off
    /// as its buffers fill and drain (it works from the watcher's own callback too). Give the
    /// watcher its callback with [`io_start`](Self::io_start) first: events of a watcher without
    /// one are skipped. Fails like `io_start`.
    pub fn io_set_interest(&mut self, handle: Handle, interest: Interest) -> io::Result<()> {
        let token = Token(handle.token());
        let slot = self
            .index_of(handle)
            .and_then(|index| self.slots.get_mut(index))
            .filter(|s| s.generation == handle.generation && !s.closing);
        let Some(Kind::Io {
            fd: Some(fd),
            interest: current,
        }) = slot.and_then(|s| s.kind.as_mut())
        else {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a live I/O watcher",
            ));
        };
        match current {
            Some(now) if *now == interest => return Ok(()),
            Some(_) => self.poller.reregister(fd.as_fd(), token, interest)?,
            None => {
                self.poller.register(fd.as_fd(), token, interest)?;
                self.watchers += 1;
            }
        }
        *current = Some(interest);
        self.activate(handle);
        Ok(())
    }

    // ANCHOR: io_start
    /// Starts (or changes) watching: `callback` runs in the poll phase each time the fd is ready
    /// for something in `interest` (`uv_poll_start`). Registration errors from the poller are
    /// returned.
    pub fn io_start(
        &mut self,
        handle: Handle,
        interest: Interest,
        callback: impl FnMut(&mut Self, Handle, Event) + 'static,
    ) -> io::Result<()> {
        // Registering and changing the interest is `io_set_interest`'s job; what starting adds
        // is the callback.
        self.io_set_interest(handle, interest)?;
        let slot = self
            .slot_mut(handle)
            .expect("io_set_interest found a live watcher");
        slot.io_callback = Some(Box::new(callback));
        Ok(())
    }
    // ANCHOR_END: io_start

    /// Stops watching; events already collected in this poll phase are skipped
    /// (`uv_poll_stop`).
    pub fn io_stop(&mut self, handle: Handle) -> bool {
        let slot = self
            .index_of(handle)
            .and_then(|index| self.slots.get_mut(index))
            .filter(|s| s.generation == handle.generation);
        let Some(Kind::Io { fd, interest }) = slot.and_then(|s| s.kind.as_mut()) else {
            return false;
        };
        if interest.take().is_some() {
            if let Some(fd) = fd.as_ref() {
                // ENOENT/EBADF cannot happen for an fd we registered and still own; if the
                // kernel disagrees there is nothing better to do than stop listening anyway.
                let _ = self.poller.deregister(fd.as_fd());
            }
            self.watchers -= 1;
        }
        self.deactivate(handle);
        true
    }

    // ---- requests and closing -----------------------------------------------------------------

    /// Queues a callback for the next pending phase. Like an active request in libuv, it keeps
    /// the loop alive until it has run.
    pub fn queue_pending(&mut self, callback: impl FnOnce(&mut Self) + 'static) {
        self.pending.push_back(Box::new(callback));
    }

    // ANCHOR: close
    /// Closes a handle (`uv_close`): stops it now (an I/O watcher is deregistered and its fd
    /// closed), and runs `callback` in the closing phase of this turn, after the check phase.
    /// Until then the loop stays alive. Closing a handle twice does nothing the second time.
    pub fn close(
        &mut self,
        handle: Handle,
        callback: impl FnOnce(&mut Self, Handle) + 'static,
    ) -> bool {
        if self.is_closing(handle) {
            return false;
        }
        match self.slot(handle).and_then(|s| s.kind.as_ref()) {
            Some(Kind::Timer { .. }) => {
                self.timer_stop(handle);
            }
            Some(Kind::Idle) => {
                self.idle_stop(handle);
            }
            Some(Kind::Prepare) => {
                self.prepare_stop(handle);
            }
            Some(Kind::Check) => {
                self.check_stop(handle);
            }
            Some(Kind::Io { .. }) => {
                self.io_stop(handle);
                if let Some(Kind::Io { fd, .. }) =
                    self.slot_mut(handle).and_then(|s| s.kind.as_mut())
                {
                    drop(fd.take());
                }
            }
            None => return false,
        }
        let slot = self.slot_mut(handle).expect("is_closing saw the slot");
        slot.closing = true;
        slot.callback = None;
        slot.io_callback = None;
        slot.close_callback = Some(Box::new(callback));
        self.closing_handles.push(handle);
        true
    }
    // ANCHOR_END: close
}
