//! The two clocks of a connection: the idle timeout (a keep-alive connection with nothing to do)
//! and the header timeout (a request head that is taking too long: slowloris).
//!
//! Each connection has one chapter-7 timer. Restarting it on every request would cost a heap
//! push per request; instead the connection just notes the loop time of its last progress
//! ([`Deadlines::touch`], one store), and the timer, when it fires, looks at that note: not
//! idle long enough, so re-arm it for the time that is left. A busy connection costs one timer
//! callback per idle period, not one heap operation per request.
//!
//! The one case that must move the timer *earlier* is a head that starts arriving: its header
//! deadline may fall before the idle deadline the timer is armed for.

use super::config::Limits;
use std::time::{Duration, Instant};

/// What a connection's timer found when it fired.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expiry {
    /// Nothing has expired: arm the timer again to fire at this instant.
    NotYet(Instant),
    /// Idle for the idle timeout: close quietly.
    Idle,
    /// A head has been arriving for longer than the header timeout: `408`, then close.
    SlowHead,
}

// ANCHOR: deadlines
/// The times a connection's timeouts are measured from.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// The loop time of the last progress: bytes read or written.
    pub last_active: Instant,
    /// When the first byte of the head now being received arrived; `None` between requests.
    pub head_started: Option<Instant>,
    /// When the timer is armed to fire.
    pub armed_for: Instant,
}

impl Deadlines {
    /// A new connection at `now`, its timer armed for the idle timeout.
    pub fn new(now: Instant, limits: &Limits) -> Deadlines {
        Deadlines {
            last_active: now,
            head_started: None,
            armed_for: now + limits.idle_timeout,
        }
    }

    /// The connection made progress at `now`. No timer operation: the timer finds out when it
    /// fires.
    pub fn touch(&mut self, now: Instant) {
        self.last_active = now;
    }

    /// A head is incomplete after a read at `now`; `started_new`: the requests before it were
    /// all completed by this read, so this head began now. Returns the instant the timer must
    /// be moved to, if the header deadline falls before the one it is armed for.
    pub fn head_pending(
        &mut self,
        now: Instant,
        started_new: bool,
        limits: &Limits,
    ) -> Option<Instant> {
        if started_new || self.head_started.is_none() {
            self.head_started = Some(now);
        }
        let due = self.head_started? + limits.header_timeout;
        if due < self.armed_for {
            self.armed_for = due;
            Some(due)
        } else {
            None
        }
    }

    /// No head is in progress (the last one completed, and nothing of the next has arrived).
    pub fn head_complete(&mut self) {
        self.head_started = None;
    }

    /// The timer fired at `now`: what has expired. `busy`: the connection is waiting on
    /// something of ours (a `/delay`), which is not idleness. `NotYet` also records the new
    /// instant the caller arms the timer for.
    pub fn expire(&mut self, now: Instant, busy: bool, limits: &Limits) -> Expiry {
        if let Some(started) = self.head_started
            && now >= started + limits.header_timeout
        {
            return Expiry::SlowHead;
        }
        let idle_due = if busy {
            now + limits.idle_timeout
        } else {
            self.last_active + limits.idle_timeout
        };
        if now >= idle_due {
            return Expiry::Idle;
        }
        let head_due = self.head_started.map(|s| s + limits.header_timeout);
        let due = head_due.map_or(idle_due, |h| h.min(idle_due));
        self.armed_for = due;
        Expiry::NotYet(due)
    }
}
// ANCHOR_END: deadlines

/// How long from `now` until `due` (zero if it has passed).
pub fn until(now: Instant, due: Instant) -> Duration {
    due.saturating_duration_since(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            idle_timeout: Duration::from_secs(30),
            header_timeout: Duration::from_secs(10),
            ..Limits::default()
        }
    }

    #[test]
    fn activity_pushes_the_idle_deadline_without_rearming() {
        let t0 = Instant::now();
        let mut d = Deadlines::new(t0, &limits());
        d.touch(t0 + Duration::from_secs(20));
        let fired = t0 + Duration::from_secs(30);
        assert_eq!(
            d.expire(fired, false, &limits()),
            Expiry::NotYet(t0 + Duration::from_secs(50))
        );
        assert_eq!(
            d.expire(t0 + Duration::from_secs(50), false, &limits()),
            Expiry::Idle
        );
    }

    #[test]
    fn a_slow_head_moves_the_timer_earlier_and_expires_first() {
        let t0 = Instant::now();
        let mut d = Deadlines::new(t0, &limits());
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(
            d.head_pending(t1, false, &limits()),
            Some(t1 + Duration::from_secs(10))
        );
        d.touch(t1 + Duration::from_secs(5)); // a byte a second keeps it "active"...
        assert_eq!(
            d.head_pending(t1 + Duration::from_secs(5), false, &limits()),
            None
        );
        // ...but not within the header timeout.
        assert_eq!(
            d.expire(t1 + Duration::from_secs(10), false, &limits()),
            Expiry::SlowHead
        );
    }

    #[test]
    fn a_pipelining_client_whose_reads_end_mid_head_is_not_slow() {
        let t0 = Instant::now();
        let mut d = Deadlines::new(t0, &limits());
        for s in 0..100 {
            let now = t0 + Duration::from_millis(500 * s);
            d.touch(now);
            d.head_pending(now, true, &limits());
        }
        let now = t0 + Duration::from_millis(50_000);
        assert!(matches!(d.expire(now, false, &limits()), Expiry::NotYet(_)));
    }

    #[test]
    fn waiting_on_a_delay_is_not_idleness() {
        let t0 = Instant::now();
        let mut d = Deadlines::new(t0, &limits());
        let late = t0 + Duration::from_secs(31);
        assert!(matches!(d.expire(late, true, &limits()), Expiry::NotYet(_)));
    }
}
