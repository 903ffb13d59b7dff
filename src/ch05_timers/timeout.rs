//! From delays to deadlines, and from the nearest deadline to a poll timeout.
//!
//! Three conversions, each with one way to get it wrong:
//!
//! * a **delay** the user asked for becomes a delay the loop uses ([`clamp_delay`]): like Node.js,
//!   a delay below 1 ms becomes 1 ms;
//! * a delay becomes a **deadline** ([`deadline_after`]): `Instant + Duration` panics on
//!   overflow, so a delay of `Duration::MAX` must clamp instead;
//! * the nearest deadline becomes the **timeout** of `poll(2)`/`epoll_wait(2)`
//!   ([`poll_timeout_ms`]): whole milliseconds in a `c_int`, rounded *up*, `-1` for "no timer".

use std::time::{Duration, Instant};

use libc::c_int;

// ANCHOR: delays
/// The shortest delay a timer gets. Node.js turns `setTimeout(f, 0)` into a 1 ms timer, and so
/// do we: a zero delay would still not fire in the same timers phase (see
/// [`TimerHeap::next_id`](super::TimerHeap::next_id)), and keeping Node's rule keeps Node's
/// orderings (`setTimeout(f, 0)` versus `setTimeout(g, 1)` fire in the order set).
pub const MIN_DELAY: Duration = Duration::from_millis(1);

/// The longest delay we honour: about 31 years. Longer delays are clamped to it rather than
/// overflowing `Instant`. (Node.js does something surprising instead: a delay above
/// 2³¹ − 1 ms becomes 1 ms, with a `TimeoutOverflowWarning`.)
pub const MAX_DELAY: Duration = Duration::from_secs(1 << 30);

/// The delay the loop really uses for a requested `delay`: at least [`MIN_DELAY`], at most
/// [`MAX_DELAY`].
pub fn clamp_delay(delay: Duration) -> Duration {
    delay.clamp(MIN_DELAY, MAX_DELAY)
}

/// The deadline `delay` after `now`, without ever panicking: if `now + delay` does not fit in an
/// `Instant`, the delay is halved until it does (it always fits for a zero delay).
pub fn deadline_after(now: Instant, delay: Duration) -> Instant {
    let mut delay = delay;
    loop {
        if let Some(deadline) = now.checked_add(delay) {
            return deadline;
        }
        delay /= 2;
    }
}
// ANCHOR_END: delays

// ANCHOR: poll_timeout
/// How long the loop may sleep in `poll(2)` or `epoll_wait(2)` at `now`, given the nearest timer
/// deadline, in the unit those calls take: milliseconds as a `c_int`.
///
/// * `-1` (wait forever) when there is no timer: only I/O can wake the loop;
/// * `0` (do not block) when the nearest timer is already due;
/// * otherwise the time left, **rounded up** to a whole millisecond: 0.4 ms left must not become
///   0, or the loop would spin without sleeping until the deadline passes; rounding up can only
///   make a timer late, never early;
/// * clamped to `c_int::MAX` (about 24.8 days): the loop wakes up, finds nothing due, and
///   computes the next timeout.
pub fn poll_timeout_ms(now: Instant, next_deadline: Option<Instant>) -> c_int {
    let Some(deadline) = next_deadline else {
        return -1;
    };
    let left = deadline.saturating_duration_since(now);
    let ms = left.as_nanos().div_ceil(1_000_000);
    c_int::try_from(ms).unwrap_or(c_int::MAX)
}
// ANCHOR_END: poll_timeout

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_timer_means_wait_forever() {
        assert_eq!(poll_timeout_ms(Instant::now(), None), -1);
    }

    #[test]
    fn a_due_timer_means_do_not_block() {
        let now = Instant::now();
        assert_eq!(poll_timeout_ms(now, Some(now)), 0);
        let past = now - Duration::from_millis(5);
        assert_eq!(poll_timeout_ms(now, Some(past)), 0, "overdue is due");
    }

    #[test]
    fn sub_millisecond_waits_round_up_not_to_zero() {
        let now = Instant::now();
        assert_eq!(
            poll_timeout_ms(now, Some(now + Duration::from_micros(400))),
            1
        );
        assert_eq!(poll_timeout_ms(now, Some(now + Duration::from_nanos(1))), 1);
        assert_eq!(
            poll_timeout_ms(now, Some(now + Duration::from_micros(1_001))),
            2
        );
    }

    #[test]
    fn whole_milliseconds_stay_exact() {
        let now = Instant::now();
        assert_eq!(
            poll_timeout_ms(now, Some(now + Duration::from_millis(100))),
            100
        );
    }

    #[test]
    fn long_waits_clamp_to_c_int_max() {
        let now = Instant::now();
        let far = deadline_after(now, Duration::from_secs(100 * 24 * 3600));
        assert_eq!(poll_timeout_ms(now, Some(far)), c_int::MAX);
    }

    #[test]
    fn huge_delays_clamp_instead_of_overflowing_instant() {
        let now = Instant::now();
        let deadline = deadline_after(now, Duration::MAX);
        assert!(deadline > now);
        assert_eq!(poll_timeout_ms(now, Some(deadline)), c_int::MAX);
        let clamped = deadline_after(now, clamp_delay(Duration::MAX));
        assert_eq!(clamped, now + MAX_DELAY);
    }

    #[test]
    fn zero_delay_becomes_one_millisecond_like_node() {
        assert_eq!(clamp_delay(Duration::ZERO), Duration::from_millis(1));
        assert_eq!(
            clamp_delay(Duration::from_micros(300)),
            Duration::from_millis(1)
        );
        assert_eq!(
            clamp_delay(Duration::from_millis(7)),
            Duration::from_millis(7)
        );
    }
}
