//! Tests for the chapter 8 exercises. Run them with `cargo test -p exercises-ch08`. The orders
//! are the ones Node.js printed for `tests/node-ordering/` in the main crate.

mod time_limit;

// The tests of exercise ch08.M sit in `ch08::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch08 {
    use super::time_limit::time_limit;
    mod run_ticks_and_microtasks {
        use super::time_limit;
        use exercises_ch08::{Queues, run_ticks_and_microtasks};

        #[test]
        fn ticks_run_before_microtasks_queued_earlier() {
            time_limit(|| {
                let mut q = Queues::default();
                q.queue_microtask(|q| q.log("promise 1"));
                q.next_tick(|q| q.log("nextTick 1"));
                q.next_tick(|q| q.log("nextTick 2"));
                q.queue_microtask(|q| q.log("promise 3"));
                run_ticks_and_microtasks(&mut q);
                assert_eq!(
                    q.log,
                    ["nextTick 1", "nextTick 2", "promise 1", "promise 3"]
                );
            });
        }

        #[test]
        fn ticks_queued_by_ticks_run_before_any_microtask() {
            time_limit(|| {
                let mut q = Queues::default();
                q.next_tick(|q| {
                    q.log("tick A");
                    q.next_tick(|q| {
                        q.log("tick A.1");
                        q.next_tick(|q| q.log("tick A.1.1"));
                    });
                });
                q.next_tick(|q| q.log("tick B"));
                q.queue_microtask(|q| q.log("promise"));
                run_ticks_and_microtasks(&mut q);
                assert_eq!(
                    q.log,
                    ["tick A", "tick B", "tick A.1", "tick A.1.1", "promise"]
                );
            });
        }

        #[test]
        fn a_tick_queued_by_a_microtask_waits_for_the_microtasks_then_runs() {
            time_limit(|| {
                let mut q = Queues::default();
                q.queue_microtask(|q| {
                    q.log("promise 1");
                    q.next_tick(|q| {
                        q.log("tick from promise 1");
                        q.queue_microtask(|q| q.log("promise from that tick"));
                    });
                    q.queue_microtask(|q| q.log("promise 1.1"));
                });
                q.queue_microtask(|q| q.log("promise 2"));
                q.next_tick(|q| q.log("tick 1"));
                run_ticks_and_microtasks(&mut q);
                assert_eq!(
                    q.log,
                    [
                        "tick 1",
                        "promise 1",
                        "promise 2",
                        "promise 1.1",
                        "tick from promise 1",
                        "promise from that tick"
                    ]
                );
                assert!(q.ticks.is_empty() && q.microtasks.is_empty());
            });
        }
    }

    mod process_immediates {
        use super::time_limit;
        use exercises_ch08::{Queues, process_immediates};

        #[test]
        fn queues_drain_between_immediates() {
            time_limit(|| {
                let mut q = Queues::default();
                q.set_immediate(|q| {
                    q.log("immediate A");
                    q.queue_microtask(|q| q.log("promise from A"));
                    q.next_tick(|q| q.log("nextTick from A"));
                });
                q.set_immediate(|q| q.log("immediate B"));
                process_immediates(&mut q);
                assert_eq!(
                    q.log,
                    [
                        "immediate A",
                        "nextTick from A",
                        "promise from A",
                        "immediate B"
                    ]
                );
            });
        }

        #[test]
        fn immediates_queued_during_the_phase_wait_for_the_next_one() {
            time_limit(|| {
                let mut q = Queues::default();
                q.set_immediate(|q| {
                    q.log("immediate A");
                    q.set_immediate(|q| q.log("immediate A2"));
                });
                q.set_immediate(|q| q.log("immediate B"));
                process_immediates(&mut q);
                assert_eq!(q.log, ["immediate A", "immediate B"]);
                assert_eq!(q.immediates.len(), 1);
                process_immediates(&mut q);
                assert_eq!(q.log, ["immediate A", "immediate B", "immediate A2"]);
            });
        }
    }
}
