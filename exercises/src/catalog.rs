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
        id: "ch06.1",
        title: "The epoll_ctl operation for an interest change",
        module: "ch06_pollers",
        function: "ctl_op",
        tests: "ctl_op::",
        page: "ch06-pollers.md#exercises",
        hint: "First map an interest with neither readable nor writable to None, then match on \
               the pair (old, new): four cases, plus a guard for old == new.",
    },
    Exercise {
        id: "ch06.2",
        title: "An interest change as a kqueue changelist",
        module: "ch06_pollers",
        function: "changelist",
        tests: "changelist::",
        page: "ch06-pollers.md#exercises",
        hint: "Loop over [(Filter::Read, old.readable, new.readable), (Filter::Write, \
               old.writable, new.writable)]: wanted means Add; watched but not wanted means \
               Delete; neither means skip.",
    },
    Exercise {
        id: "ch06.3",
        title: "Drain an edge-triggered fd to EAGAIN",
        module: "ch06_pollers",
        function: "drain",
        tests: "drain::",
        page: "ch06-pollers.md#exercises",
        hint: "A `loop` with a `match` on net::read: Ok(0) ends with eof, Ok(n) appends, \
               WouldBlock ends, Interrupted continues, anything else is returned.",
    },
];
