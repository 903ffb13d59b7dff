//! What the tests say about each exercise, and which exercise comes next.

use crate::catalog::Exercise;
use crate::testrun::TestRun;
use std::time::{Duration, SystemTime};

/// What happened to one chapter's tests.
#[derive(Debug, Clone)]
pub enum ChapterRun {
    /// The tests ran.
    Ran(TestRun),
    /// The chapter's crate (the learner's file, or the test file) does not compile.
    DoesNotCompile(String),
}

/// Where an exercise stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    /// Every one of its tests passes.
    Done,
    /// Its tests stop at a `todo!()`: its own stub, or (`blocked_by`) another exercise's.
    Todo { blocked_by: Option<String> },
    /// Some of its tests fail.
    Failing,
    /// One of its tests ran past its time limit.
    Hung,
    /// Its chapter does not compile.
    DoesNotCompile,
    /// No test has its name: the catalog's `tests` prefix is wrong.
    NoTests,
}

impl Status {
    /// A short word for lists.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Done => "done",
            Status::Todo { .. } => "todo",
            Status::Failing => "fail",
            Status::Hung => "hung",
            Status::DoesNotCompile => "err ",
            Status::NoTests => "none",
        }
    }
}

/// An exercise's status, and what to show the learner about it.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Where it stands.
    pub status: Status,
    /// How many of its tests passed, of how many.
    pub passed: usize,
    /// Of how many.
    pub total: usize,
    /// The first failure's output, or the compile errors.
    pub details: String,
}

/// What the tests of `chapter` say about `ex`.
pub fn judge(ex: &Exercise, chapter: &ChapterRun) -> Verdict {
    let run = match chapter {
        ChapterRun::DoesNotCompile(errors) => {
            return Verdict {
                status: Status::DoesNotCompile,
                passed: 0,
                total: 0,
                details: errors.clone(),
            };
        }
        ChapterRun::Ran(run) => run,
    };
    let mine = |name: &&String| name.starts_with(ex.tests);
    let results: Vec<(&String, bool)> = run
        .results
        .iter()
        .filter(|(name, _)| mine(name))
        .map(|(name, ok)| (name, *ok))
        .collect();
    let unfinished: Vec<&String> = run.unfinished.iter().filter(mine).collect();
    let failures: Vec<&String> = run
        .failures
        .iter()
        .filter(|(name, _)| mine(name))
        .map(|(_, text)| text)
        .collect();
    let passed = results.iter().filter(|(_, ok)| *ok).count();
    let total = results.len() + unfinished.len();
    let hung = !unfinished.is_empty() || failures.iter().any(|text| text.contains(" hung: "));
    let todo_ids: Vec<&str> = failures.iter().filter_map(|text| todo_id(text)).collect();
    let status = if total == 0 {
        Status::NoTests
    } else if passed == total {
        Status::Done
    } else if hung {
        Status::Hung
    } else if !todo_ids.is_empty() && todo_ids.len() == failures.len() {
        // Every failure stopped at a stub. If none is this exercise's own, another one is in
        // the way (one this exercise calls).
        let blocked_by = (!todo_ids.contains(&ex.id)).then(|| todo_ids[0].to_string());
        Status::Todo { blocked_by }
    } else {
        Status::Failing
    };
    let details = if unfinished.is_empty() {
        failures
            .first()
            .map(|text| text.to_string())
            .unwrap_or_default()
    } else {
        let names: Vec<&str> = unfinished.iter().map(|name| name.as_str()).collect();
        format!("still running when stopped: {}", names.join(", "))
    };
    Verdict {
        status,
        passed,
        total,
        details,
    }
}

/// The exercise id in a `todo!("chNN.M: ...")` panic, if the failure is one.
fn todo_id(failure: &str) -> Option<&str> {
    let (_, rest) = failure.split_once("not yet implemented: ")?;
    let (id, _) = rest.split_once(':')?;
    (id.len() == 6 && id.starts_with("ch") && id.as_bytes()[4] == b'.').then_some(id)
}

/// The exercise to do next: the first one not done in `chapter` (the one the learner touched
/// last), else the first one not done after it, else the first one not done at all.
/// `chapters[i]` is exercise i's chapter and `done[i]` whether it is done, in book order.
pub fn choose_next(chapters: &[&str], done: &[bool], chapter: Option<&str>) -> Option<usize> {
    let start = chapter
        .and_then(|chapter| chapters.iter().position(|c| *c == chapter))
        .unwrap_or(0);
    (start..chapters.len()).chain(0..start).find(|&i| !done[i])
}

/// The next exercise not done after `current`, going round: what `n` in watch mode skips to.
pub fn after(done: &[bool], current: usize) -> Option<usize> {
    let n = done.len();
    (1..n).map(|step| (current + step) % n).find(|&i| !done[i])
}

/// How much newer than its test file a learner's file must be to count as touched. A fresh clone
/// writes `exercises/src/` a moment before `exercises/tests/`; a few seconds covers any order.
pub const TOUCH_SLACK: Duration = Duration::from_secs(3);

/// The chapter the learner touched last: of the chapters whose file is newer than its test file
/// (`(chapter, file's mtime, test file's mtime)`), the one saved most recently.
pub fn last_touched<'a>(files: &[(&'a str, SystemTime, SystemTime)]) -> Option<&'a str> {
    files
        .iter()
        .filter(|(_, edited, test)| *edited > *test + TOUCH_SLACK)
        .max_by_key(|(_, edited, _)| *edited)
        .map(|(chapter, _, _)| *chapter)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::EXERCISES;
    use crate::catalog::find;

    fn run(results: &[(&str, bool)], failures: &[(&str, &str)]) -> ChapterRun {
        ChapterRun::Ran(TestRun {
            results: results.iter().map(|(n, ok)| (n.to_string(), *ok)).collect(),
            failures: failures
                .iter()
                .map(|(n, text)| (n.to_string(), text.to_string()))
                .collect(),
            unfinished: Vec::new(),
        })
    }

    const STUB_81: &str = "thread 'x' panicked at exercises/src/ch08_ticks.rs:51:5:\n\
                           not yet implemented: ch08.1: drain ticks, then microtasks";

    #[test]
    fn only_the_exercises_own_tests_count() {
        let ch08 = run(
            &[
                ("ch08::run_ticks_and_microtasks::a", true),
                ("ch08::process_immediates::a", false),
            ],
            &[("ch08::process_immediates::a", "assertion failed")],
        );
        let first = judge(find("ch08.1").unwrap(), &ch08);
        assert_eq!(
            (first.status, first.passed, first.total),
            (Status::Done, 1, 1)
        );
        let second = judge(find("ch08.2").unwrap(), &ch08);
        assert_eq!(second.status, Status::Failing);
        assert_eq!(second.details, "assertion failed");
    }

    #[test]
    fn a_stub_is_todo_and_a_stub_elsewhere_names_the_exercise_in_the_way() {
        let ch08 = run(
            &[
                ("ch08::run_ticks_and_microtasks::a", false),
                ("ch08::process_immediates::a", false),
            ],
            &[
                ("ch08::run_ticks_and_microtasks::a", STUB_81),
                ("ch08::process_immediates::a", STUB_81),
            ],
        );
        let own = judge(find("ch08.1").unwrap(), &ch08).status;
        assert_eq!(own, Status::Todo { blocked_by: None });
        let blocked = judge(find("ch08.2").unwrap(), &ch08).status;
        let in_the_way = Some("ch08.1".to_string());
        assert_eq!(
            blocked,
            Status::Todo {
                blocked_by: in_the_way
            }
        );
    }

    #[test]
    fn a_hang_a_compile_error_and_a_wrong_prefix_are_told_apart() {
        let ex = find("ch03.1").unwrap();
        let hung = run(
            &[("ch03::locate::a", false)],
            &[(
                "ch03::locate::a",
                "ch03::locate::a hung: still running after 15 s",
            )],
        );
        assert_eq!(judge(ex, &hung).status, Status::Hung);
        let killed = ChapterRun::Ran(TestRun {
            unfinished: vec!["ch03::locate::b".into()],
            ..TestRun::default()
        });
        let verdict = judge(ex, &killed);
        assert_eq!(verdict.status, Status::Hung);
        assert!(verdict.details.contains("ch03::locate::b"));
        let broken = ChapterRun::DoesNotCompile("error[E0308]".into());
        assert_eq!(judge(ex, &broken).status, Status::DoesNotCompile);
        let other = run(&[("ch03::build_sets::a", true)], &[]);
        assert_eq!(judge(ex, &other).status, Status::NoTests);
    }

    #[test]
    fn reads_the_id_of_a_stub_from_its_panic() {
        assert_eq!(todo_id(STUB_81), Some("ch08.1"));
        assert_eq!(todo_id("not yet implemented"), None);
        assert_eq!(
            todo_id("assertion failed: not yet implemented: soon: x"),
            None
        );
    }

    fn done_up_to(ids: &[&str]) -> Vec<bool> {
        EXERCISES.iter().map(|ex| ids.contains(&ex.id)).collect()
    }

    fn choose_next(done: &[bool], chapter: Option<&str>) -> Option<usize> {
        let chapters: Vec<&str> = EXERCISES.iter().map(|ex| ex.chapter()).collect();
        super::choose_next(&chapters, done, chapter)
    }

    #[test]
    fn next_follows_the_chapter_touched_last() {
        let done = done_up_to(&["ch01.1", "ch03.1"]);
        let id = |i: Option<usize>| i.map(|i| EXERCISES[i].id);
        assert_eq!(id(choose_next(&done, None)), Some("ch01.2"));
        assert_eq!(id(choose_next(&done, Some("ch03"))), Some("ch03.2"));
        // A chapter all done sends the learner on to the next one, not back to the start.
        let done = done_up_to(&["ch03.1", "ch03.2"]);
        assert_eq!(id(choose_next(&done, Some("ch03"))), Some("ch04.1"));
        // Past the last chapter, round to the first exercise not done.
        let mut done = vec![true; EXERCISES.len()];
        done[1] = false;
        let last = EXERCISES.last().unwrap().chapter();
        assert_eq!(id(choose_next(&done, Some(last))), Some("ch01.2"));
        assert_eq!(choose_next(&vec![true; EXERCISES.len()], None), None);
    }

    #[test]
    fn after_skips_to_the_next_exercise_not_done_going_round() {
        let done = [false, true, false, true];
        assert_eq!(after(&done, 0), Some(2));
        assert_eq!(after(&done, 2), Some(0));
        assert_eq!(after(&[false, true], 0), None, "nothing else to skip to");
    }

    #[test]
    fn the_chapter_touched_last_is_the_newest_file_edited_after_its_test_file() {
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let s = Duration::from_secs;
        // A fresh clone: every file within a second of its test file.
        let fresh = [("ch01", t, t + s(1)), ("ch02", t + s(1), t)];
        assert_eq!(last_touched(&fresh), None);
        let edited = [
            ("ch01", t + s(600), t),
            ("ch03", t + s(900), t),
            ("ch05", t + s(2000), t + s(1999)), // within the slack: untouched
        ];
        assert_eq!(last_touched(&edited), Some("ch03"));
    }
}
