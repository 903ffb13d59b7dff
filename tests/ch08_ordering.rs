//! Ordering conformance: every program in `tests/node-ordering/` ported to the book's loop must
//! print exactly what Node.js printed (`NN-name.expected`). Whether each recording is still what
//! `node` prints is checked once, for every program, by `node/tests/conformance.rs`.

use eventloops::ch08_ticks::puzzles::{PUZZLES, Puzzle};
use std::path::Path;

fn puzzle(name: &str) -> &'static Puzzle {
    PUZZLES
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no puzzle {name}"))
}

#[track_caller]
fn check(name: &str) {
    let p = puzzle(name);
    let got = (p.run)().unwrap_or_else(|e| panic!("{name}: {e}"));
    let expected: Vec<&str> = p.expected.lines().collect();
    assert_eq!(got, expected, "{name}: the Rust port and Node disagree");
}

macro_rules! conformance {
    ($($test:ident => $name:literal,)*) => {
        $(
            #[test]
            fn $test() {
                check($name);
            }
        )*

        #[test]
        fn every_port_has_its_program_and_recording() {
            // Chapter 8 ports a program by hand; chapter 11 runs them all unchanged
            // (node/tests/conformance.rs), so not every program here has a port.
            let tested = [$($name),*];
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/node-ordering");
            for name in tested {
                assert!(dir.join(format!("{name}.js")).is_file(), "{name}.js is missing");
                assert!(dir.join(format!("{name}.expected")).is_file(), "{name}.expected is missing");
            }
            assert_eq!(tested.len(), PUZZLES.len(), "every puzzle has a test");
        }
    };
}

conformance! {
    nexttick_before_promise => "02-nexttick-before-promise",
    nested_nexttick_drains_first => "03-nested-nexttick-drains-first",
    net_immediate_before_timeout => "09-net-immediate-before-timeout",
    timers_equal_delay_fifo => "10-timers-equal-delay-fifo",
    clear_timeout_same_phase => "13-clear-timeout-same-phase",
    immediate_from_immediate => "15-immediate-from-immediate",
    timer_from_timer_next_iteration => "17-timer-from-timer-next-iteration",
    microtasks_between_timers => "18-microtasks-between-timers",
    microtasks_between_immediates => "19-microtasks-between-immediates",
    socket_close_after_check => "21-socket-close-after-check",
    unref_timer_loop_exits => "23-unref-timer-loop-exits",
    nexttick_recursion_bounded => "30-nexttick-recursion-bounded",
    clear_immediate_from_immediate => "31-clear-immediate-from-immediate",
    immediate_from_tick_in_immediate => "32-immediate-from-tick-in-immediate",
    microtasks_queue_ticks => "33-microtasks-queue-ticks",
    interval_clears_itself => "34-interval-clears-itself",
    unref_timers => "35-unref-timers",
    clear_timeout_from_nexttick => "36-clear-timeout-from-nexttick",
    interval_requeues_behind_same_delay => "37-interval-requeues-behind-same-delay",
    close_callbacks_lifo => "38-close-callbacks-lifo",
    unref_immediate => "39-unref-immediate",
    immediate_clears_timeout => "40-immediate-clears-timeout",
    timeout_refresh_restarts_the_countdown => "46-timeout-refresh-restarts-the-countdown",
    timeout_overflow_becomes_1ms => "47-timeout-overflow-becomes-1ms",
}
