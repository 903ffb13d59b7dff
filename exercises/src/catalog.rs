//! Every exercise, in the order the book sets them.

/// One exercise: where it lives, which tests judge it, where the book explains it.
pub struct Exercise {
    /// Short id, `chNN.M`.
    pub id: &'static str,
    /// What the exercise asks, in a few words.
    pub title: &'static str,
    /// The module under `exercises/src/` and, with the same name, the test file under
    /// `exercises/tests/`.
    pub module: &'static str,
    /// The function to complete.
    pub function: &'static str,
    /// The test-name filter that selects this exercise's tests: its test module, `name::`.
    pub tests: &'static str,
    /// The book page (under `book/src/`) that explains it.
    pub page: &'static str,
    /// A nudge for when you are stuck.
    pub hint: &'static str,
}

/// All exercises, in the book's order.
pub const EXERCISES: &[Exercise] = &[
    Exercise {
        id: "ch07.1",
        title: "The poll timeout rules",
        module: "ch07_phases",
        function: "poll_timeout",
        tests: "poll_timeout::",
        page: "ch07-phases.md#exercises",
        hint: "Check the five reasons not to block first (stopping, nothing active, idle, pending, closing); then no deadline means -1; otherwise ceil the nanoseconds left to milliseconds with div_ceil and clamp with i32::try_from.",
    },
    Exercise {
        id: "ch07.2",
        title: "One run that reads like uv_run",
        module: "ch07_phases",
        function: "run",
        tests: "run::",
        page: "ch07-phases.md#exercises",
        hint: "Write the phases in order as one named call each: pending, idle, prepare, poll, pending again (while any, at most 8), check, closing, update_time, timers. Default mode runs timers once before the loop; Once may block only if nothing is pending and no idle handle is active.",
    },
    Exercise {
        id: "ch08.1",
        title: "Drain nextTicks, then microtasks, until both are empty",
        module: "ch08_ticks",
        function: "run_ticks_and_microtasks",
        tests: "run_ticks_and_microtasks::",
        page: "ch08-ticks.md#exercises",
        hint: "Two inner while-let loops popping from the front (ticks, then microtasks) inside an outer loop that ends only when the tick queue is still empty after the microtasks ran.",
    },
    Exercise {
        id: "ch08.2",
        title: "One check phase of immediates",
        module: "ch08_ticks",
        function: "process_immediates",
        tests: "process_immediates::",
        page: "ch08-ticks.md#exercises",
        hint: "Take the whole queue out first (std::mem::take) so immediates queued meanwhile land in a fresh one; run each job, then run_ticks_and_microtasks.",
    },
];
