//! The poll phase: how long the loop may sleep, and the wait itself with its dispatch.

use super::Loop;
use super::handle::{Handle, Kind};
use super::trace::Phase;
use crate::ch06_pollers::{Event, Poller};
use std::io;
use std::time::{Duration, Instant};

/// Events collected per wait, as libuv's `uv__io_poll` on Linux.
pub const MAX_EVENTS: usize = 1024;

/// How many waits one poll phase makes at most while every batch comes back full: the first,
/// which may block, and up to 47 more that do not. libuv's value (`count = 48` in `uv__io_poll`,
/// picked by benchmarking according to its comment).
pub const MAX_WAITS: usize = 48;

// ANCHOR: timeout_ms
/// Converts a wait until `deadline` into `epoll_wait`'s milliseconds: 0 if it has passed, rounded
/// *up* otherwise (a 0.4 ms wait must not become a busy 0 ms poll that spins until the deadline),
/// clamped to `i32::MAX`.
pub fn timeout_ms(now: Instant, deadline: Instant) -> i32 {
    let left = deadline.saturating_duration_since(now);
    if left.is_zero() {
        return 0;
    }
    // Whole seconds are whole milliseconds; only the nanoseconds are rounded up. (In 64-bit
    // arithmetic: `as_nanos` is a u128, whose division is a library call on every turn.)
    let ms = left
        .as_secs()
        .saturating_mul(1000)
        .saturating_add(u64::from(left.subsec_nanos().div_ceil(1_000_000)));
    i32::try_from(ms).unwrap_or(i32::MAX)
}
// ANCHOR_END: timeout_ms

impl<D, P: Poller> Loop<D, P> {
    // ANCHOR: poll_timeout
    /// How long the poll phase may block, by libuv's rules (`uv__backend_timeout`): not at all
    /// when the loop is stopping, has nothing alive, has an active idle handle, or has pending
    /// or closing callbacks waiting; otherwise until the nearest timer (unreferenced ones count:
    /// they fire if the loop is awake anyway); forever (`-1`) when there is no timer.
    pub fn poll_timeout(&self) -> i32 {
        if self.stop_flag
            || (self.active_refs == 0 && self.pending.is_empty())
            || !self.idle_handles.is_empty()
            || !self.pending.is_empty()
            || !self.closing_handles.is_empty()
        {
            return 0;
        }
        match self.timers.next_deadline() {
            Some(deadline) => timeout_ms(self.now, deadline),
            None => -1,
        }
    }
    // ANCHOR_END: poll_timeout

    // ANCHOR: poll_io
    /// The poll phase: wait for I/O up to `timeout` ms, then run the callback of each ready
    /// watcher.
    ///
    /// A full batch (1024 events) means more fds are probably ready than we asked for, so we wait
    /// again at once with timeout 0 instead of going round the whole loop, which would cost a
    /// turn of check, closing and timers per 1024 events. The cap ([`MAX_WAITS`]) keeps a flood
    /// of I/O from starving timers and immediates.
    ///
    /// `EINTR` is handled here, the one place it can come from: a signal cut the wait short, so
    /// we wait again for what is left of the timeout (or return, for a non-blocking poll).
    ///
    /// With no fd watched, no event can come, so a wait is only a sleep until the nearest timer.
    /// Without a timer (timeout `-1`) nothing could ever end it: a loop kept alive by a check or
    /// prepare handle alone would sleep forever and never run that handle. libuv's `uv__io_poll`
    /// returns at once when it watches no fd (`loop->nfds == 0`), so its loop keeps turning; we
    /// do the same. (A real libuv loop always watches fds of its own, so there it is never taken:
    /// see this chapter's page.)
    pub(crate) fn poll_io(&mut self, timeout: i32) -> io::Result<()> {
        if self.watchers == 0 && timeout <= 0 {
            // Nothing to ask the kernel: no fd can be ready, and we may not wait (0) or would
            // wait forever (-1). With a timer (> 0) we do sleep until it, through the poller.
            return Ok(());
        }
        let mut timeout = timeout;
        let deadline = self.now + Duration::from_millis(timeout.max(0) as u64);
        let mut events = std::mem::take(&mut self.events);
        for _ in 0..MAX_WAITS {
            let wait_start = self.trace_start();
            let result = self.poller.wait(&mut events, MAX_EVENTS, timeout);
            self.update_time();
            self.trace_wait(wait_start, timeout);
            let n = match result {
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    if timeout == 0 {
                        break;
                    }
                    if timeout > 0 {
                        timeout = timeout_ms(self.now, deadline);
                        if timeout == 0 {
                            break;
                        }
                    }
                    continue; // -1 stays -1: wait again, forever
                }
                Err(e) => {
                    self.events = events;
                    return Err(e);
                }
            };
            self.dispatch(&events);
            if n < MAX_EVENTS {
                break;
            }
            timeout = 0;
        }
        self.events = events;
        Ok(())
    }
    // ANCHOR_END: poll_io

    // ANCHOR: dispatch
    /// Runs the callbacks of one batch. The batch is a snapshot, and callbacks change the world:
    /// each event is checked against the watcher as it is *now*. A watcher closed or stopped by
    /// an earlier callback of the batch is skipped; one whose interest changed sees only what it
    /// still asks for.
    fn dispatch(&mut self, events: &[Event]) {
        for event in events {
            let handle = Handle::from_token(event.token.0, self.id);
            let Some(slot) = self.slot_mut(handle) else {
                continue; // closed and freed: cannot happen within a phase, but costs nothing
            };
            if slot.closing || !slot.active {
                continue;
            }
            let Some(Kind::Io {
                interest: Some(interest),
                ..
            }) = slot.kind.as_ref()
            else {
                continue;
            };
            let masked = Event {
                readable: event.readable && interest.readable,
                writable: event.writable && interest.writable,
                ..*event
            };
            if !(masked.readable || masked.writable || masked.hangup || masked.error) {
                continue;
            }
            let Some(mut callback) = slot.io_callback.take() else {
                continue;
            };
            let start = self.trace_start();
            callback(self, handle, masked);
            self.trace_callback(Phase::Poll, Some(handle), start);
            if let Some(slot) = self.slot_mut(handle)
                && !slot.closing
                && slot.io_callback.is_none()
            {
                slot.io_callback = Some(callback);
            }
        }
    }
    // ANCHOR_END: dispatch
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_millisecond_waits_round_up_not_down() {
        let now = Instant::now();
        assert_eq!(timeout_ms(now, now + Duration::from_micros(400)), 1);
        assert_eq!(timeout_ms(now, now + Duration::from_micros(1001)), 2);
        assert_eq!(timeout_ms(now, now + Duration::from_millis(5)), 5);
    }

    #[test]
    fn past_deadlines_wait_zero_and_huge_ones_clamp() {
        let now = Instant::now();
        assert_eq!(timeout_ms(now + Duration::from_millis(3), now), 0);
        assert_eq!(timeout_ms(now, now), 0);
        assert_eq!(
            timeout_ms(now, now + Duration::from_secs(100 * 24 * 3600)),
            i32::MAX
        );
    }
}
