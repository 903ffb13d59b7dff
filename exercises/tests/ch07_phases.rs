//! Tests for the chapter 7 exercises. Run them with `cargo test -p exercises-ch07`.

mod time_limit;

// The tests of exercise ch07.M sit in `ch07::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch07 {
    use super::time_limit::time_limit;
    mod poll_timeout {
        use super::time_limit;
        use exercises_ch07::{LoopState, poll_timeout};
        use std::time::{Duration, Instant};

        fn busy(now: Instant, next: Option<Duration>) -> LoopState {
            LoopState {
                stopping: false,
                has_active: true,
                idle_active: false,
                pending: false,
                closing: false,
                now,
                next_deadline: next.map(|d| now + d),
            }
        }

        #[test]
        fn nearest_timer_in_whole_milliseconds_rounded_up() {
            time_limit(|| {
                let now = Instant::now();
                assert_eq!(poll_timeout(&busy(now, Some(Duration::from_millis(7)))), 7);
                assert_eq!(
                    poll_timeout(&busy(now, Some(Duration::from_micros(400)))),
                    1
                );
                assert_eq!(
                    poll_timeout(&busy(now, Some(Duration::from_micros(2001)))),
                    3
                );
            });
        }

        #[test]
        fn no_timer_blocks_forever_and_a_past_deadline_not_at_all() {
            time_limit(|| {
                let now = Instant::now();
                assert_eq!(poll_timeout(&busy(now, None)), -1);
                let mut past = busy(now + Duration::from_millis(5), None);
                past.next_deadline = Some(now);
                assert_eq!(poll_timeout(&past), 0);
                let far = busy(now, Some(Duration::from_secs(100 * 24 * 3600)));
                assert_eq!(poll_timeout(&far), i32::MAX);
            });
        }

        #[test]
        fn zero_when_something_is_waiting_to_run_or_nothing_is_alive() {
            time_limit(|| {
                let now = Instant::now();
                let base = busy(now, Some(Duration::from_millis(50)));
                for state in [
                    LoopState {
                        stopping: true,
                        ..base
                    },
                    LoopState {
                        has_active: false,
                        ..base
                    },
                    LoopState {
                        idle_active: true,
                        ..base
                    },
                    LoopState {
                        pending: true,
                        ..base
                    },
                    LoopState {
                        closing: true,
                        ..base
                    },
                ] {
                    assert_eq!(poll_timeout(&state), 0, "{state:?}");
                }
            });
        }
    }

    mod run {
        use super::time_limit;
        use exercises_ch07::{Phases, RunMode, run};

        /// A loop that records which phase ran, with `turns` turns of life left.
        #[derive(Default)]
        struct Recorder {
            log: Vec<String>,
            turns: u32,
            stop_after_poll: bool,
            stopping: bool,
            pending: u32,
            idle: bool,
        }

        impl Phases for Recorder {
            fn alive(&self) -> bool {
                self.turns > 0
            }
            fn stopping(&self) -> bool {
                self.stopping
            }
            fn clear_stop(&mut self) {
                self.stopping = false;
                self.log.push("clear_stop".into());
            }
            fn has_pending(&self) -> bool {
                self.pending > 0
            }
            fn has_idle(&self) -> bool {
                self.idle
            }
            fn update_time(&mut self) {
                self.log.push("time".into());
            }
            fn run_timers(&mut self) {
                self.log.push("timers".into());
                self.turns = self.turns.saturating_sub(1);
            }
            fn run_pending(&mut self) {
                self.log.push("pending".into());
                self.pending = self.pending.saturating_sub(1);
            }
            fn run_idle(&mut self) {
                self.log.push("idle".into());
            }
            fn run_prepare(&mut self) {
                self.log.push("prepare".into());
            }
            fn poll_timeout(&self) -> i32 {
                42
            }
            fn poll(&mut self, timeout: i32) {
                self.log.push(format!("poll {timeout}"));
                if self.stop_after_poll {
                    self.stopping = true;
                }
            }
            fn run_check(&mut self) {
                self.log.push("check".into());
            }
            fn run_closing(&mut self) {
                self.log.push("closing".into());
            }
        }

        const TURN: [&str; 8] = [
            "pending", "idle", "prepare", "poll 42", "check", "closing", "time", "timers",
        ];

        #[test]
        fn default_runs_timers_first_then_whole_turns_until_dead() {
            time_limit(|| {
                let mut lp = Recorder {
                    turns: 3,
                    ..Default::default()
                };
                assert!(!run(&mut lp, RunMode::Default));
                let mut want = vec!["time", "timers"];
                want.extend(TURN);
                want.extend(TURN);
                want.push("clear_stop");
                assert_eq!(lp.log, want);
            });
        }

        #[test]
        fn once_blocks_unless_work_is_waiting_and_nowait_never_blocks() {
            time_limit(|| {
                let mut lp = Recorder {
                    turns: 5,
                    ..Default::default()
                };
                assert!(run(&mut lp, RunMode::Once));
                let mut want: Vec<&str> = TURN.to_vec();
                want.push("clear_stop");
                assert_eq!(lp.log, want, "Once: one turn, no timers run before it");

                let mut lp = Recorder {
                    turns: 5,
                    idle: true,
                    ..Default::default()
                };
                run(&mut lp, RunMode::Once);
                assert!(
                    lp.log.contains(&"poll 0".to_string()),
                    "an idle handle: no sleep"
                );

                let mut lp = Recorder {
                    turns: 5,
                    ..Default::default()
                };
                run(&mut lp, RunMode::NoWait);
                assert!(lp.log.contains(&"poll 0".to_string()));
                assert_eq!(lp.log.iter().filter(|l| l.starts_with("poll")).count(), 1);
            });
        }

        #[test]
        fn pending_runs_again_after_poll_and_stop_ends_the_run() {
            time_limit(|| {
                let mut lp = Recorder {
                    turns: 9,
                    pending: 3,
                    stop_after_poll: true,
                    ..Default::default()
                };
                assert!(run(&mut lp, RunMode::Default), "stopped, still alive");
                assert_eq!(
                    lp.log,
                    [
                        "time",
                        "timers",
                        "pending",
                        "idle",
                        "prepare",
                        "poll 42",
                        "pending",
                        "pending",
                        "check",
                        "closing",
                        "time",
                        "timers",
                        "clear_stop"
                    ]
                );
            });
        }

        #[test]
        fn a_dead_loop_only_updates_the_time() {
            time_limit(|| {
                let mut lp = Recorder::default();
                assert!(!run(&mut lp, RunMode::Default));
                assert_eq!(lp.log, ["time", "clear_stop"]);
            });
        }
    }
}
