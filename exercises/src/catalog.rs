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
pub const EXERCISES: &[Exercise] = &[];
