//! The `Date` header, formatted once per second.
//!
//! RFC 9110 asks an origin server with a clock to send `Date` in every response, in the
//! "IMF-fixdate" form: `Sun, 06 Nov 1994 08:49:37 GMT`, always 29 bytes. Formatting it means
//! turning seconds since 1970 into a calendar date: a few dozen divisions, per response. But the
//! text changes only once a second, so, like nginx (`ngx_http_time` cached by `ngx_time_update`),
//! we keep the last one and format again only when the second has changed.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The length of an IMF-fixdate.
pub const DATE_LEN: usize = 29;

// ANCHOR: date_cache
/// The current `Date` value, formatted again only when the wall-clock second changes.
///
/// It does not even read the wall clock on every call: it notes, on the loop's monotonic clock,
/// when the current second ends, and until then compares two `Instant`s that the loop has
/// already read.
#[derive(Debug, Clone)]
pub struct DateCache {
    /// The formatted date.
    text: [u8; DATE_LEN],
    /// On the loop's clock, when `text` stops being the current second.
    valid_until: Option<Instant>,
    /// Whether to keep the text between calls (off: format on every call, to measure it).
    enabled: bool,
}

impl DateCache {
    /// A cache; with `enabled` false, [`get`](Self::get) formats every time.
    pub fn new(enabled: bool) -> DateCache {
        DateCache {
            text: [b' '; DATE_LEN],
            valid_until: None,
            enabled,
        }
    }

    /// The `Date` value at loop time `now`.
    pub fn get(&mut self, now: Instant) -> &[u8; DATE_LEN] {
        self.get_with(now, SystemTime::now)
    }

    /// [`get`](Self::get), reading the wall clock with `wall_clock` when it must.
    pub fn get_with(
        &mut self,
        now: Instant,
        wall_clock: impl FnOnce() -> SystemTime,
    ) -> &[u8; DATE_LEN] {
        if self.enabled && self.valid_until.is_some_and(|until| now < until) {
            return &self.text;
        }
        let since_epoch = wall_clock().duration_since(UNIX_EPOCH).unwrap_or_default();
        format_imf_fixdate(since_epoch.as_secs(), &mut self.text);
        let rest_of_second =
            Duration::from_secs(1) - Duration::from_nanos(since_epoch.subsec_nanos().into());
        self.valid_until = Some(now + rest_of_second);
        &self.text
    }
}
// ANCHOR_END: date_cache

const DAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];

/// Writes `unix_seconds` as an IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`) into `out`.
pub fn format_imf_fixdate(unix_seconds: u64, out: &mut [u8; DATE_LEN]) {
    let days = unix_seconds / 86_400;
    let in_day = unix_seconds % 86_400;
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday, the first entry of DAYS.
    let weekday = DAYS[(days % 7) as usize];
    out[0..3].copy_from_slice(weekday);
    out[3..5].copy_from_slice(b", ");
    two_digits(&mut out[5..7], day);
    out[7] = b' ';
    out[8..11].copy_from_slice(MONTHS[(month - 1) as usize]);
    out[11] = b' ';
    let year = year.min(9999);
    two_digits(&mut out[12..14], year / 100);
    two_digits(&mut out[14..16], year % 100);
    out[16] = b' ';
    two_digits(&mut out[17..19], in_day / 3600);
    out[19] = b':';
    two_digits(&mut out[20..22], in_day / 60 % 60);
    out[22] = b':';
    two_digits(&mut out[23..25], in_day % 60);
    out[25..29].copy_from_slice(b" GMT");
}

fn two_digits(out: &mut [u8], n: u64) {
    out[0] = b'0' + (n / 10 % 10) as u8;
    out[1] = b'0' + (n % 10) as u8;
}

/// Days since 1970-01-01 to (year, month 1-12, day 1-31) in the proleptic Gregorian calendar:
/// Howard Hinnant's `civil_from_days`, which counts in 400-year eras starting on 1 March so that
/// the leap day falls at the end of a year.
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468; // days since 0000-03-01
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153; // month, counting from March = 0
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = era * 400 + year_of_era + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn fmt(secs: u64) -> String {
        let mut out = [0; DATE_LEN];
        format_imf_fixdate(secs, &mut out);
        String::from_utf8(out.to_vec()).unwrap()
    }

    #[test]
    fn formats_the_rfcs_example_and_the_epoch() {
        assert_eq!(fmt(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(fmt(0), "Thu, 01 Jan 1970 00:00:00 GMT");
    }

    #[test]
    fn leap_days_and_century_years() {
        assert_eq!(fmt(951_782_400), "Tue, 29 Feb 2000 00:00:00 GMT");
        assert_eq!(fmt(1_709_164_799), "Wed, 28 Feb 2024 23:59:59 GMT");
        assert_eq!(fmt(1_709_251_199), "Thu, 29 Feb 2024 23:59:59 GMT");
        assert_eq!(fmt(4_107_542_400), "Mon, 01 Mar 2100 00:00:00 GMT");
    }

    #[test]
    fn the_cache_formats_again_only_when_the_second_changes() {
        let mut cache = DateCache::new(true);
        let t = Instant::now();
        let wall = UNIX_EPOCH + Duration::from_millis(784_111_777_100);
        assert_eq!(cache.get_with(t, || wall), b"Sun, 06 Nov 1994 08:49:37 GMT");
        let later = t + Duration::from_millis(800);
        let unread = || -> SystemTime { panic!("read the wall clock within the second") };
        assert_eq!(
            cache.get_with(later, unread),
            b"Sun, 06 Nov 1994 08:49:37 GMT"
        );
        let next = t + Duration::from_millis(900);
        let next_wall = wall + Duration::from_millis(900);
        assert_eq!(
            cache.get_with(next, || next_wall),
            b"Sun, 06 Nov 1994 08:49:38 GMT"
        );
    }

    #[test]
    fn without_the_cache_every_call_reads_the_clock() {
        let mut cache = DateCache::new(false);
        let t = Instant::now();
        let mut reads = 0;
        for _ in 0..3 {
            cache.get_with(t, || {
                reads += 1;
                UNIX_EPOCH
            });
        }
        assert_eq!(reads, 3);
    }
}
