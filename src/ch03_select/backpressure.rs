//! Backpressure for a room that copies every line to every client.
//!
//! A chat server reads a line from one client and queues it for all the others. When one client
//! sends faster than another reads, the reader's queue grows. Dropping that reader as soon as
//! its queue is long punishes a client that is reading as fast as it can; letting the queue grow
//! lets one client make the server hold any amount of memory. The policy here, shared by the
//! chat servers of chapters 3, 4 and 6, is the one Node's streams use between a fast source and
//! a slow destination — watermarks — plus a deadline for a receiver that has stopped:
//!
//! * **High-water mark.** While any receiver has more than `high` bytes queued, the server reads
//!   from *no* client. The senders' lines wait in their own sockets; once those are full, TCP's
//!   flow control makes the senders' `write` calls wait. The pressure travels back to the source.
//! * **Low-water mark.** Reading resumes when every receiver is down to `low` = `high / 4` bytes
//!   or fewer. The gap between the marks keeps the server from flipping between the two states on
//!   every line, and leaves the receivers a quarter of a mark to write while the senders' next
//!   lines arrive.
//! * **A stalled receiver** — one over the high-water mark that the server could not write a
//!   byte to for [`STALL_TIMEOUT`] — is dropped: it is not slow, it is not reading, and the whole
//!   room waits for it.
//!
//! The bookkeeping is incremental: the caller reports every change of a receiver's queue length
//! ([`Backpressure::queue_changed`]), and the valve keeps a count of the receivers above the low
//! mark. Deciding costs O(1) per change, not a pass over every client, which matters to chapter
//! 6's epoll loop, whose turns otherwise cost O(ready).

use std::time::{Duration, Instant};

// ANCHOR: numbers
/// How long a receiver over the high-water mark may go without the server managing to write it a
/// single byte before it is dropped. A reader that is slow, or was not scheduled for a moment on
/// a busy machine, makes room for *something* in far less (see [`SEND_BUFFER`]); a client that
/// has stopped reading never does, and holds up the whole room meanwhile, so the deadline is
/// short.
pub const STALL_TIMEOUT: Duration = Duration::from_secs(5);

/// The kernel send buffer each chat connection gets. The server sees a reader's progress only
/// when its socket has room again, which the kernel reports once a good part of the buffer has
/// drained; left to Linux's automatic sizing, the buffer grows to 4 MiB, and a reader taking
/// 200 KB/s would then look idle for seconds at a time. With 64 KiB, anything that reads at all
/// is seen to progress several times within [`STALL_TIMEOUT`].
pub const SEND_BUFFER: usize = 64 * 1024;

/// While reading is paused, the loop wakes at least this often to look for stalled receivers
/// (so one is dropped between [`STALL_TIMEOUT`] and `STALL_TIMEOUT + CHECK_EVERY` after it
/// stopped).
pub const CHECK_EVERY: Duration = Duration::from_millis(500);
// ANCHOR_END: numbers

// ANCHOR: valve
/// Whether the room reads from its clients, decided from the lengths of their write queues.
#[derive(Debug)]
pub struct Backpressure {
    /// Above this many queued bytes for any receiver, stop reading.
    high: usize,
    /// Resume reading once every receiver has at most this many bytes queued.
    low: usize,
    /// How many receivers have more than `low` bytes queued.
    above_low: usize,
    /// Whether reading is stopped.
    paused: bool,
    /// When the room last looked for stalled receivers (while paused).
    last_scan: Option<Instant>,
}

/// A change of state the caller applies to its interest list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Valve {
    /// A receiver passed the high-water mark: stop reading from every client.
    Pause,
    /// Every receiver is at or below the low-water mark: read again.
    Resume,
}

impl Backpressure {
    /// A valve with the high-water mark `high` (the low one is a quarter of it), open.
    pub fn new(high: usize) -> Backpressure {
        Backpressure {
            high,
            low: high / 4,
            above_low: 0,
            paused: false,
            last_scan: None,
        }
    }

    /// Whether reading is stopped.
    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Records that one receiver's queue went from `before` to `after` bytes (`after` is 0 when
    /// the receiver is removed), and returns the change of state this causes, if any.
    pub fn queue_changed(&mut self, before: usize, after: usize) -> Option<Valve> {
        match (before > self.low, after > self.low) {
            (false, true) => self.above_low += 1,
            (true, false) => self.above_low -= 1,
            _ => {}
        }
        if !self.paused && after > self.high {
            self.paused = true;
            self.last_scan = Some(Instant::now());
            Some(Valve::Pause)
        } else if self.paused && self.above_low == 0 {
            self.paused = false;
            Some(Valve::Resume)
        } else {
            None
        }
    }

    /// Whether a receiver with `queued` bytes waiting, which last took a byte `idle` ago, is
    /// stalled: over the high-water mark, and idle for [`STALL_TIMEOUT`].
    pub fn is_stalled(&self, queued: usize, idle: Duration) -> bool {
        queued > self.high && idle >= STALL_TIMEOUT
    }

    /// Whether it is time to look for stalled receivers: only while paused (otherwise nobody is
    /// over the mark), and at most once every [`CHECK_EVERY`].
    pub fn scan_due(&mut self, now: Instant) -> bool {
        let due = self.paused
            && self
                .last_scan
                .is_none_or(|last| now.duration_since(last) >= CHECK_EVERY);
        if due {
            self.last_scan = Some(now);
        }
        due
    }

    /// The longest the loop may sleep: for ever (`None`) while reading, [`CHECK_EVERY`] while
    /// paused, because then nothing but the clock may ever wake it.
    pub fn wait_limit(&self) -> Option<Duration> {
        self.paused.then_some(CHECK_EVERY)
    }
}
// ANCHOR_END: valve

/// The shorter of two limits on a wait, where `None` means "no limit".
pub fn earliest(a: Option<Duration>, b: Option<Duration>) -> Option<Duration> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_above_the_high_mark_and_resumes_at_the_low_one() {
        let mut valve = Backpressure::new(100); // low = 25
        assert_eq!(valve.queue_changed(0, 60), None, "a: between the marks");
        assert_eq!(valve.queue_changed(0, 101), Some(Valve::Pause), "b: over");
        assert!(valve.is_paused());
        assert_eq!(valve.queue_changed(101, 200), None, "already paused");
        assert_eq!(valve.queue_changed(200, 25), None, "b is down, a is not");
        assert_eq!(
            valve.queue_changed(60, 30),
            None,
            "a still over the low mark"
        );
        assert_eq!(valve.queue_changed(30, 0), Some(Valve::Resume));
        assert!(!valve.is_paused());
        assert_eq!(valve.queue_changed(25, 26), None, "over low, under high");
        assert_eq!(valve.queue_changed(26, 0), None, "open already");
    }

    #[test]
    fn removing_the_receiver_that_holds_the_pause_resumes() {
        let mut valve = Backpressure::new(100);
        assert_eq!(valve.queue_changed(0, 500), Some(Valve::Pause));
        assert_eq!(valve.queue_changed(500, 0), Some(Valve::Resume));
    }

    #[test]
    fn only_an_idle_receiver_over_the_mark_is_stalled() {
        let valve = Backpressure::new(100);
        assert!(valve.is_stalled(101, STALL_TIMEOUT));
        assert!(!valve.is_stalled(100, STALL_TIMEOUT * 10), "under the mark");
        assert!(
            !valve.is_stalled(1000, STALL_TIMEOUT / 2),
            "took something lately"
        );
    }

    #[test]
    fn scans_happen_only_while_paused_and_at_most_every_check_period() {
        let mut valve = Backpressure::new(100);
        let t0 = Instant::now();
        assert!(!valve.scan_due(t0));
        assert_eq!(valve.wait_limit(), None);
        valve.queue_changed(0, 101);
        assert_eq!(valve.wait_limit(), Some(CHECK_EVERY));
        let later = Instant::now() + CHECK_EVERY;
        assert!(valve.scan_due(later));
        assert!(!valve.scan_due(later), "not twice in a row");
        assert!(valve.scan_due(later + CHECK_EVERY));
    }

    #[test]
    fn the_earliest_limit_wins_and_none_means_no_limit() {
        let (one, two) = (Duration::from_secs(1), Duration::from_secs(2));
        assert_eq!(earliest(None, None), None);
        assert_eq!(earliest(Some(two), None), Some(two));
        assert_eq!(earliest(None, Some(one)), Some(one));
        assert_eq!(earliest(Some(two), Some(one)), Some(one));
    }
}
