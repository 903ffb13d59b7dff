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
        id: "ch05.1",
        title: "turn the nearest deadline into a poll timeout",
        module: "ch05_timers",
        function: "poll_timeout_ms",
        tests: "poll_timeout_ms::",
        page: "ch05-timers.md#exercises",
        hint: "No deadline: -1. Otherwise deadline.saturating_duration_since(now) is zero when due; as_nanos().div_ceil(1_000_000) rounds up; c_int::try_from(..).unwrap_or(c_int::MAX) clamps.",
    },
    Exercise {
        id: "ch05.2",
        title: "fire one timer: once, or re-armed before its callback",
        module: "ch05_timers",
        function: "fire",
        tests: "fire::",
        page: "ch05-timers.md#exercises",
        hint: "The callback borrows the timers, so take() it out of the Timer first. An interval gets timers.heap.push(deadline_after(timers.now, period), id) stored in its entry; a timeout is removed. After the call, put the callback back only if timers.timers still has the id.",
    },
    Exercise {
        id: "ch05.3",
        title: "the timers phase: due timers in order, none started during it",
        module: "ch05_timers",
        function: "run_timers",
        tests: "run_timers::",
        page: "ch05-timers.md#exercises",
        hint: "let limit = timers.heap.next_id(); before the loop, not inside it. Then while let Some((_, id)) = timers.heap.pop_due(timers.now, limit) { fire(timers, id) } and count.",
    },
];
