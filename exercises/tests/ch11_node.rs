//! Tests for the chapter 11 exercises. Run them with `cargo test -p exercises-ch11`.
//!
//! Each test runs Node programs from `tests/node-ordering/` on `eventloops-node` with your
//! function swapped in, and compares what they print (and their exit code) with what Node
//! printed.

mod time_limit;

use eventloops_node::{Plugins, RunOptions, run_file};
use std::path::Path;

#[track_caller]
fn runs_like_node(plugins: Plugins, programs: &[&str]) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../tests/node-ordering");
    for name in programs {
        let options = RunOptions {
            capture_stdout: true,
            plugins,
            ..RunOptions::default()
        };
        let outcome = run_file(&dir.join(format!("{name}.js")), &options)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = std::fs::read_to_string(dir.join(format!("{name}.expected"))).unwrap();
        let want_code: i32 = std::fs::read_to_string(dir.join(format!("{name}.exit")))
            .map_or(0, |s| s.trim().parse().unwrap());
        assert_eq!(
            outcome.stdout.unwrap(),
            want,
            "{name}: not what Node printed"
        );
        assert_eq!(outcome.exit_code, want_code, "{name}: not Node's exit code");
    }
}

// Every test sits under `ch11::`, so `cargo test -p exercises-ch11` selects them.
mod ch11 {
    use super::time_limit::time_limit;
    mod drain {
        use super::super::runs_like_node;
        use super::time_limit;
        use eventloops_node::Plugins;
        use exercises_ch11::drain;

        fn mine() -> Plugins {
            Plugins {
                drain,
                ..Plugins::default()
            }
        }

        #[test]
        fn ticks_before_promises_and_promises_in_order() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &[
                        "02-nexttick-before-promise",
                        "03-nested-nexttick-drains-first",
                    ],
                );
            });
        }

        #[test]
        fn a_tick_queued_by_a_promise_waits_for_the_promises() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &["33-microtasks-queue-ticks", "50-await-vs-then-vs-ticks"],
                );
            });
        }

        #[test]
        fn await_and_then_interleave_and_microtasks_can_starve_the_loop() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &[
                        "51-async-return-promise-costs-ticks",
                        "55-microtasks-starve-the-loop",
                    ],
                );
            });
        }

        #[test]
        fn unhandled_rejections_after_the_microtasks() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &[
                        "58-unhandled-rejection-exits-with-1",
                        "59-rejection-handled-before-the-checkpoint-end",
                        "60-unhandled-rejection-listener",
                    ],
                );
            });
        }

        #[test]
        fn process_exit_inside_a_job_stops_the_drain() {
            time_limit(|| {
                runs_like_node(mine(), &["66-exit-inside-a-microtask"]);
            });
        }
    }

    mod run_to_the_end {
        use super::super::runs_like_node;
        use super::time_limit;
        use eventloops_node::Plugins;
        use exercises_ch11::run_to_the_end;

        fn mine() -> Plugins {
            Plugins {
                run_to_the_end,
                ..Plugins::default()
            }
        }

        #[test]
        fn exit_listeners_see_the_exit_code() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &["23-unref-timer-loop-exits", "67-exit-code-property"],
                );
            });
        }

        #[test]
        fn before_exit_can_start_the_loop_again() {
            time_limit(|| {
                runs_like_node(mine(), &["68-beforeexit-reschedules"]);
            });
        }

        #[test]
        fn process_exit_stops_everything_but_exit_listeners() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &[
                        "65-exit-inside-a-tick",
                        "69-exit-skips-beforeexit",
                        "70-exit-code-of-process-exit-wins",
                    ],
                );
            });
        }

        #[test]
        fn an_uncaught_exception_exits_with_1() {
            time_limit(|| {
                runs_like_node(mine(), &["64-uncaught-exception-without-listener"]);
            });
        }
    }

    mod read_some {
        use super::super::runs_like_node;
        use super::time_limit;
        use eventloops_node::Plugins;
        use exercises_ch11::read_some;

        fn mine() -> Plugins {
            Plugins {
                read_some,
                ..Plugins::default()
            }
        }

        #[test]
        fn data_then_end_then_close() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &[
                        "09-net-immediate-before-timeout",
                        "85-net-data-end-finish-close",
                    ],
                );
            });
        }

        #[test]
        fn a_paused_socket_and_a_throwing_data_listener() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &[
                        "91-net-pause-and-resume",
                        "89-net-uncaught-in-data-listener",
                    ],
                );
            });
        }

        #[test]
        fn writes_and_the_server_close() {
            time_limit(|| {
                runs_like_node(
                    mine(),
                    &[
                        "90-net-write-callback-and-drain",
                        "86-net-server-close-waits",
                    ],
                );
            });
        }
    }
}
