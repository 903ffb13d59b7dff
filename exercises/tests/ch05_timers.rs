//! Tests for the chapter 5 exercises: `cargo test -p exercises-ch05`.
//!
//! The clock is moved by hand (`timers.now`), so no test depends on the machine's speed, and no
//! test can loop forever on a wrong answer: every callback that could re-run stops itself.

mod time_limit;

// The tests of exercise ch05.M sit in `ch05::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch05 {
    use super::time_limit::time_limit;
    use exercises_ch05::*;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::time::{Duration, Instant};

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// A log the callbacks append to.
    fn log<T>() -> Rc<RefCell<Vec<T>>> {
        Rc::new(RefCell::new(Vec::new()))
    }

    mod poll_timeout_ms {
        use super::*;

        #[test]
        fn no_timer_means_minus_one() {
            time_limit(|| {
                assert_eq!(poll_timeout_ms(Instant::now(), None), -1);
            });
        }

        #[test]
        fn a_due_or_overdue_timer_means_zero() {
            time_limit(|| {
                let now = Instant::now();
                assert_eq!(poll_timeout_ms(now, Some(now)), 0);
                assert_eq!(poll_timeout_ms(now + ms(5), Some(now)), 0);
            });
        }

        #[test]
        fn whole_milliseconds_are_exact() {
            time_limit(|| {
                let now = Instant::now();
                assert_eq!(poll_timeout_ms(now, Some(now + ms(100))), 100);
                assert_eq!(poll_timeout_ms(now, Some(now + ms(1))), 1);
            });
        }

        #[test]
        fn sub_millisecond_waits_round_up_not_down_to_a_busy_zero() {
            time_limit(|| {
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
                assert_eq!(
                    poll_timeout_ms(now, Some(now + Duration::from_micros(99_999))),
                    100
                );
            });
        }

        #[test]
        fn long_waits_clamp_to_c_int_max() {
            time_limit(|| {
                let now = Instant::now();
                let far = now + Duration::from_secs(100 * 24 * 3600);
                assert_eq!(poll_timeout_ms(now, Some(far)), libc::c_int::MAX);
                let just_over = now + ms(libc::c_int::MAX as u64 + 1);
                assert_eq!(poll_timeout_ms(now, Some(just_over)), libc::c_int::MAX);
            });
        }
    }

    mod fire {
        use super::*;

        /// Pops and fires every due timer, like a phase but written here, so these tests check only
        /// `fire`.
        fn phase(timers: &mut Timers) {
            let limit = timers.heap.next_id();
            let mut guard = 0;
            while let Some((_, id)) = timers.heap.pop_due(timers.now, limit) {
                fire(timers, id);
                guard += 1;
                assert!(guard < 100, "the phase does not end");
            }
        }

        #[test]
        fn a_timeout_fires_once_and_is_inactive_while_its_callback_runs() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let seen = log();
                let me = Rc::new(RefCell::new(None));
                let id = {
                    let (seen, me) = (seen.clone(), me.clone());
                    timers.set_timeout(ms(10), move |t| {
                        let id = me.borrow().unwrap();
                        seen.borrow_mut().push(t.is_active(id));
                    })
                };
                *me.borrow_mut() = Some(id);
                timers.now = t0 + ms(10);
                phase(&mut timers);
                timers.now = t0 + ms(1000);
                phase(&mut timers);
                assert_eq!(
                    *seen.borrow(),
                    [false],
                    "fired once, and was no longer active meanwhile"
                );
                assert!(!timers.is_active(id));
                assert!(timers.heap.is_empty());
            });
        }

        #[test]
        fn an_interval_is_rearmed_before_its_callback_runs() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let seen = log();
                let me = Rc::new(RefCell::new(None));
                let id = {
                    let (seen, me) = (seen.clone(), me.clone());
                    timers.set_interval(ms(10), move |t| {
                        let id = me.borrow().unwrap();
                        seen.borrow_mut()
                            .push((t.is_active(id), t.heap.next_deadline()));
                    })
                };
                *me.borrow_mut() = Some(id);
                timers.now = t0 + ms(12); // a little late: the next period counts from now
                phase(&mut timers);
                assert_eq!(*seen.borrow(), [(true, Some(t0 + ms(22)))]);
            });
        }

        #[test]
        fn an_interval_keeps_firing_with_the_same_id() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let count = Rc::new(RefCell::new(0));
                let id = {
                    let count = count.clone();
                    timers.set_interval(ms(10), move |_| *count.borrow_mut() += 1)
                };
                for step in 1..=3 {
                    timers.now = t0 + ms(10 * step);
                    phase(&mut timers);
                }
                assert_eq!(*count.borrow(), 3);
                assert!(timers.is_active(id));
                assert!(timers.clear(id), "the same id clears it");
                timers.now = t0 + ms(1000);
                phase(&mut timers);
                assert_eq!(*count.borrow(), 3);
            });
        }

        #[test]
        fn an_interval_can_clear_itself() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let count = Rc::new(RefCell::new(0));
                let me = Rc::new(RefCell::new(None));
                let id = {
                    let (count, me) = (count.clone(), me.clone());
                    timers.set_interval(ms(10), move |t| {
                        *count.borrow_mut() += 1;
                        if *count.borrow() == 2 {
                            assert!(t.clear(me.borrow().unwrap()), "it was active, re-armed");
                        }
                    })
                };
                *me.borrow_mut() = Some(id);
                for step in 1..=5 {
                    timers.now = t0 + ms(10 * step);
                    phase(&mut timers);
                }
                assert_eq!(*count.borrow(), 2);
                assert!(!timers.is_active(id));
                assert!(timers.heap.is_empty(), "no heap entry left behind");
            });
        }

        #[test]
        fn a_callback_may_start_new_timers() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let seen = log();
                {
                    let seen = seen.clone();
                    timers.set_timeout(ms(10), move |t| {
                        seen.borrow_mut().push("first");
                        let seen = seen.clone();
                        t.set_timeout(ms(10), move |_| seen.borrow_mut().push("second"));
                    });
                }
                timers.now = t0 + ms(10);
                phase(&mut timers);
                timers.now = t0 + ms(20);
                phase(&mut timers);
                assert_eq!(*seen.borrow(), ["first", "second"]);
            });
        }
    }

    mod run_timers {
        use super::*;

        #[test]
        fn fires_due_timers_in_deadline_order_and_leaves_the_rest() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let order = log();
                for delay in [30, 10, 50, 20] {
                    let order = order.clone();
                    timers.set_timeout(ms(delay), move |_| order.borrow_mut().push(delay));
                }
                timers.now = t0 + ms(30);
                assert_eq!(run_timers(&mut timers), 3);
                assert_eq!(*order.borrow(), [10, 20, 30]);
                assert_eq!(timers.heap.len(), 1, "the 50 ms timer is not due");
                timers.now = t0 + ms(49);
                assert_eq!(run_timers(&mut timers), 0);
                timers.now = t0 + ms(50);
                assert_eq!(run_timers(&mut timers), 1);
                assert_eq!(*order.borrow(), [10, 20, 30, 50]);
            });
        }

        #[test]
        fn equal_deadlines_fire_in_the_order_set() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let order = log();
                for name in ["a", "b", "c", "d"] {
                    let order = order.clone();
                    timers.set_timeout(ms(5), move |_| order.borrow_mut().push(name));
                }
                timers.now = t0 + ms(5);
                assert_eq!(run_timers(&mut timers), 4);
                assert_eq!(*order.borrow(), ["a", "b", "c", "d"]);
            });
        }

        #[test]
        fn a_timer_cleared_by_an_earlier_callback_does_not_fire() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let order = log();
                let victim = Rc::new(RefCell::new(None));
                {
                    let (order, victim) = (order.clone(), victim.clone());
                    timers.set_timeout(ms(5), move |t| {
                        order.borrow_mut().push("first");
                        t.clear(victim.borrow().unwrap());
                    });
                }
                let id = {
                    let order = order.clone();
                    timers.set_timeout(ms(5), move |_| order.borrow_mut().push("victim"))
                };
                *victim.borrow_mut() = Some(id);
                timers.now = t0 + ms(5);
                assert_eq!(run_timers(&mut timers), 1);
                assert_eq!(*order.borrow(), ["first"]);
            });
        }

        #[test]
        fn a_zero_delay_timer_started_during_the_phase_waits_for_the_next() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let order = log();
                {
                    let order = order.clone();
                    timers.set_timeout(ms(5), move |t| {
                        order.borrow_mut().push("outer");
                        let order = order.clone();
                        t.set_timeout(Duration::ZERO, move |_| order.borrow_mut().push("inner"));
                    });
                }
                timers.now = t0 + ms(5);
                assert_eq!(run_timers(&mut timers), 1);
                assert_eq!(
                    *order.borrow(),
                    ["outer"],
                    "inner was due, but started in this phase"
                );
                assert_eq!(run_timers(&mut timers), 1);
                assert_eq!(*order.borrow(), ["outer", "inner"]);
            });
        }

        #[test]
        fn a_zero_period_interval_fires_once_per_phase() {
            time_limit(|| {
                let t0 = Instant::now();
                let mut timers = Timers::new(t0);
                let count = Rc::new(RefCell::new(0));
                let me = Rc::new(RefCell::new(None));
                let id = {
                    let (count, me) = (count.clone(), me.clone());
                    timers.set_interval(Duration::ZERO, move |t| {
                        *count.borrow_mut() += 1;
                        if *count.borrow() >= 10 {
                            t.clear(me.borrow().unwrap()); // stops a wrong answer from looping forever
                        }
                    })
                };
                *me.borrow_mut() = Some(id);
                assert_eq!(run_timers(&mut timers), 1);
                assert_eq!(run_timers(&mut timers), 1);
                assert_eq!(*count.borrow(), 2);
            });
        }
    }
}
