//! How an exercise is shown: its line in a list, and its card (where it stands, the commands).

use crate::catalog::Exercise;
use crate::verdict::{Status, Verdict};

/// `done  ch01.1  write all of a buffer...  (needs ch01.1)`.
pub fn list_line(ex: &Exercise, verdict: &Verdict) -> String {
    let needs = if ex.needs.is_empty() {
        String::new()
    } else {
        format!("  (needs {})", ex.needs.join(", "))
    };
    format!(
        "{}  {:<7} {}{needs}",
        verdict.status.label(),
        ex.id,
        ex.title
    )
}

/// Where an exercise stands and the commands for it, a line each. `done` holds the ids of the
/// exercises done, to say which of the ones it needs are not.
pub fn card(ex: &Exercise, verdict: &Verdict, done: &[&str]) -> Vec<String> {
    let mut lines = vec![
        format!("state: {}", describe(verdict)),
        format!("edit:  {}  (fn {})", ex.file(), ex.function),
        format!("read:  book/src/{}", ex.page),
        format!("check: {}", ex.test_command()),
    ];
    let waiting: Vec<&str> = ex
        .needs
        .iter()
        .copied()
        .filter(|need| !done.contains(need))
        .collect();
    if !waiting.is_empty() {
        lines.push(format!(
            "needs: {} first (its tests call that code too)",
            waiting.join(", ")
        ));
    }
    lines
}

/// One line on where an exercise stands.
pub fn describe(verdict: &Verdict) -> String {
    let tally = format!("{} of {} tests pass", verdict.passed, verdict.total);
    match &verdict.status {
        Status::Done => format!("done: {tally}"),
        Status::Todo { blocked_by: None } => "to do: its tests reach its todo!()".to_string(),
        Status::Todo {
            blocked_by: Some(id),
        } => format!("to do: its tests stop at {id}'s todo!(), which this exercise calls"),
        Status::Failing => format!("failing: {tally}"),
        Status::Hung => format!("hung: a test ran past its time limit ({tally})"),
        Status::DoesNotCompile => "does not compile".to_string(),
        Status::NoTests => "no test selected: the catalog's `tests` prefix is wrong".to_string(),
    }
}

/// `text` broken into lines of at most `width` characters, at spaces (a longer word gets a line
/// of its own).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_spaces_within_the_width() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("a verylongword b", 4), ["a", "verylongword", "b"]);
        assert!(wrap("   ", 10).is_empty());
    }
}
