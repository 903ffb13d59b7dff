//! Tests for the chapter 10 exercises. Run them with `cargo test -p exercises-ch10`.

// Every test sits under `ch10::`, so `cargo test -p exercises-ch10` selects them.
mod time_limit;

mod ch10 {
    use super::time_limit::time_limit;
    mod answer_all {
        use super::time_limit;
        use exercises_ch10::{Answered, answer_all};

        const GET: &[u8] = b"GET / HTTP/1.1\r\nHost: t\r\n\r\n";

        fn statuses(out: &[u8]) -> Vec<String> {
            String::from_utf8_lossy(out)
                .lines()
                .filter(|l| l.starts_with("HTTP/1.1 "))
                .map(|l| l[9..12].to_string())
                .collect()
        }

        #[test]
        fn every_complete_request_is_answered_in_order() {
            time_limit(|| {
                let mut input = GET.repeat(2);
                input.extend_from_slice(b"GET /nope HTTP/1.1\r\nHost: t\r\n\r\n");
                input.extend_from_slice(GET);
                let mut out = Vec::new();
                let answered = answer_all(&input, &mut out);
                assert_eq!(
                    answered,
                    Answered {
                        used: input.len(),
                        requests: 4,
                        close: false
                    }
                );
                assert_eq!(statuses(&out), ["200", "200", "404", "200"]);
            });
        }

        #[test]
        fn an_incomplete_request_is_left_for_the_next_read() {
            time_limit(|| {
                let mut input = GET.to_vec();
                input.extend_from_slice(b"GET / HTTP/1.1\r\nHo");
                let mut out = Vec::new();
                let answered = answer_all(&input, &mut out);
                assert_eq!(answered.used, GET.len());
                assert_eq!(answered.requests, 1);
                assert!(!answered.close);
                // The caller keeps the rest, reads more, and calls again.
                let mut rest = input[answered.used..].to_vec();
                rest.extend_from_slice(b"st: t\r\n\r\n");
                let again = answer_all(&rest, &mut out);
                assert_eq!((again.used, again.requests), (rest.len(), 1));
                assert_eq!(statuses(&out), ["200", "200"]);
            });
        }

        #[test]
        fn nothing_complete_answers_nothing() {
            time_limit(|| {
                let mut out = Vec::new();
                let answered = answer_all(b"GET / HTT", &mut out);
                assert_eq!(answered.used, 0);
                assert_eq!(answered.requests, 0);
                assert!(out.is_empty());
            });
        }

        #[test]
        fn connection_close_ends_the_batch() {
            time_limit(|| {
                let mut input = b"GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".to_vec();
                input.extend_from_slice(GET);
                let mut out = Vec::new();
                let answered = answer_all(&input, &mut out);
                assert!(answered.close);
                assert_eq!(answered.requests, 1);
                assert_eq!(statuses(&out), ["200"]);
                assert!(String::from_utf8_lossy(&out).contains("Connection: close"));
            });
        }

        #[test]
        fn garbage_is_answered_400_and_closes() {
            time_limit(|| {
                let mut input = GET.to_vec();
                input.extend_from_slice(b"\x16\x03\x01 not http\r\n\r\n");
                let mut out = Vec::new();
                let answered = answer_all(&input, &mut out);
                assert!(answered.close);
                assert_eq!(answered.used, input.len());
                assert_eq!(statuses(&out), ["200", "400"]);
            });
        }
    }

    mod should_read {
        use super::time_limit;
        use exercises_ch10::should_read;

        #[test]
        fn reading_stops_above_the_high_mark() {
            time_limit(|| {
                assert!(should_read(0, true, 100, 10));
                assert!(should_read(100, true, 100, 10));
                assert!(!should_read(101, true, 100, 10));
            });
        }

        #[test]
        fn reading_resumes_only_at_the_low_mark() {
            time_limit(|| {
                assert!(!should_read(101, false, 100, 10));
                assert!(!should_read(50, false, 100, 10));
                assert!(!should_read(11, false, 100, 10));
                assert!(should_read(10, false, 100, 10));
                assert!(should_read(0, false, 100, 10));
            });
        }

        /// A client that sends 10 requests' worth per read and reads 3 responses' worth per
        /// turn: the queue stays bounded, and reading toggles a few times, not on every turn.
        #[test]
        fn a_slow_reader_keeps_the_queue_bounded_without_flapping() {
            time_limit(|| {
                let (high, low) = (1000, 200);
                let (mut queued, mut reading, mut toggles, mut peak) = (0usize, true, 0, 0);
                for _ in 0..1000 {
                    if reading {
                        queued += 10 * 37; // ten responses per read
                    }
                    peak = peak.max(queued);
                    queued = queued.saturating_sub(3 * 37); // the client takes three
                    let next = should_read(queued, reading, high, low);
                    if next != reading {
                        toggles += 1;
                    }
                    reading = next;
                }
                assert!(peak <= high + 10 * 37, "queue grew to {peak}");
                assert!(
                    toggles < 300,
                    "reading flapped {toggles} times in 1000 turns"
                );
            });
        }
    }

    mod idle_timeout {
        use super::time_limit;
        use exercises_ch10::{Duration, Idle, Instant, Loop, on_idle_timer};

        const IDLE: Duration = Duration::from_millis(100);

        fn start(lp: &mut Loop<Idle>) {
            let timer = lp.timer_init();
            lp.timer_start(timer, IDLE, Duration::ZERO, |lp, timer| {
                on_idle_timer(lp, timer, IDLE);
            });
        }

        #[test]
        fn an_untouched_connection_closes_after_the_idle_time() {
            time_limit(|| {
                let mut lp: Loop<Idle> = Loop::with_data(Idle::new(Instant::now())).unwrap();
                let started = lp.now();
                lp.data().last_active = started;
                start(&mut lp);
                lp.run(exercises_ch10::RunMode::Default).unwrap();
                let closed = lp.data().closed_at.expect("closed for idleness");
                let after = closed - started;
                assert!(after >= IDLE, "closed after {after:?}");
                assert!(after < Duration::from_millis(600), "closed after {after:?}");
                assert_eq!(lp.data().rearms, 0);
            });
        }

        /// Activity every 20 ms for 200 ms, with no timer operation per activity: the
        /// connection closes one idle period after the last activity, and the timer was
        /// re-armed a few times, not once per activity.
        #[test]
        fn activity_postpones_the_close_without_a_timer_operation_each_time() {
            time_limit(|| {
                let mut lp: Loop<Idle> = Loop::with_data(Idle::new(Instant::now())).unwrap();
                let started = lp.now();
                lp.data().last_active = started;
                start(&mut lp);
                let toucher = lp.timer_init();
                let ticks = Duration::from_millis(20);
                lp.timer_start(toucher, ticks, ticks, move |lp, me| {
                    let now = lp.now();
                    lp.data().last_active = now;
                    if now - started >= Duration::from_millis(200) {
                        lp.close(me, |_, _| {});
                    }
                });
                lp.run(exercises_ch10::RunMode::Default).unwrap();
                let data = lp.data();
                let closed = data.closed_at.expect("closed for idleness");
                let last = data.last_active;
                assert!(
                    closed >= last + IDLE,
                    "closed {:?} after the last activity",
                    closed - last
                );
                assert!(closed - started >= Duration::from_millis(300));
                assert!(closed - started < Duration::from_millis(1500));
                assert!(
                    (1..=6).contains(&data.rearms),
                    "{} re-arms for 10 activities",
                    data.rearms
                );
            });
        }
    }
}
