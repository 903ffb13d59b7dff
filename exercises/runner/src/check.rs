//! One check: build the chapters' test binaries in one cargo run, run them side by side, and
//! judge every exercise of those chapters.

use crate::build::{self, Side};
use crate::catalog::{EXERCISES, Exercise};
use crate::repo::Repo;
use crate::testrun;
use crate::verdict::{self, ChapterRun, Verdict};
use std::collections::BTreeMap;
use std::time::SystemTime;

/// Each exercise of `modules` (`ch03_select`, ...) with its verdict, in book order.
pub fn check(
    repo: &Repo,
    side: Side,
    modules: &[&str],
    chatty: bool,
) -> std::io::Result<Vec<(&'static Exercise, Verdict)>> {
    let runs = run_chapters(repo, side, modules, chatty)?;
    Ok(EXERCISES
        .iter()
        .filter_map(|ex| Some((ex, verdict::judge(ex, runs.get(ex.module)?))))
        .collect())
}

/// Builds, then runs every chapter's tests at once (a chapter's tests take milliseconds; most of
/// the time is starting processes, which overlap).
pub fn run_chapters(
    repo: &Repo,
    side: Side,
    modules: &[&str],
    chatty: bool,
) -> std::io::Result<BTreeMap<String, ChapterRun>> {
    let built = build::build(repo, side, modules, chatty)?;
    let mut runs = BTreeMap::new();
    let mut running = Vec::new();
    for module in modules {
        let chapter = &module[..4];
        if let Some(errors) = built.errors.get(*module) {
            runs.insert(
                module.to_string(),
                ChapterRun::DoesNotCompile(errors.clone()),
            );
        } else if let Some(binary) = built.binaries.get(*module) {
            let dir = repo.root.join(match side {
                Side::Exercises => format!("exercises/crates/{chapter}"),
                Side::Solutions => format!("solutions/crates/{chapter}"),
            });
            running.push((
                module,
                testrun::start(binary, &format!("{chapter}::"), &dir, testrun::DEADLINE)?,
            ));
        } else {
            let why = if built.other_errors.is_empty() {
                format!("cargo built no tests for {}", side.package(chapter))
            } else {
                built.other_errors.clone()
            };
            runs.insert(module.to_string(), ChapterRun::DoesNotCompile(why));
        }
    }
    for (module, started) in running {
        let mut run = testrun::finish(started)?;
        // The solutions' wrapper includes the test file as `mod <module>`, which prefixes every
        // test's name: `ch03_select::ch03::locate::...`.
        run.strip_name_prefix(&format!("{module}::"));
        runs.insert(module.to_string(), ChapterRun::Ran(run));
    }
    for run in runs.values_mut() {
        match run {
            ChapterRun::Ran(run) => run.failures.values_mut().for_each(tidy_paths),
            ChapterRun::DoesNotCompile(errors) => tidy_paths(errors),
        }
    }
    Ok(runs)
}

/// Rustc names a chapter's files as its manifest reaches them,
/// `exercises/crates/ch03/../../src/ch03_select.rs`: say `exercises/src/ch03_select.rs`.
fn tidy_paths(text: &mut String) {
    let mut from = 0;
    while let Some(found) = text[from..].find("/crates/ch") {
        let start = from + found;
        let chapter_end = start + "/crates/ch03".len();
        if text
            .get(chapter_end..)
            .is_some_and(|rest| rest.starts_with("/../../"))
        {
            text.replace_range(start..chapter_end + "/../../".len(), "/");
        }
        from = start + 1;
    }
}

/// The chapter the learner touched last (see [`verdict::last_touched`]).
pub fn touched_chapter(repo: &Repo) -> Option<&'static str> {
    let modified = |path: String| {
        std::fs::metadata(repo.path(&path))
            .and_then(|meta| meta.modified())
            .unwrap_or(SystemTime::UNIX_EPOCH)
    };
    let files: Vec<(&str, SystemTime, SystemTime)> = crate::catalog::modules()
        .into_iter()
        .map(|module| {
            (
                &module[..4],
                modified(format!("exercises/src/{module}.rs")),
                modified(format!("exercises/tests/{module}.rs")),
            )
        })
        .collect();
    verdict::last_touched(&files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_through_a_chapters_manifest_are_tidied() {
        let mut text = "panicked at exercises/crates/ch03/../../src/ch03_select.rs:22:5:\n \
                        --> solutions/crates/ch10/../../tests/ch10_x.rs:1:1"
            .to_string();
        tidy_paths(&mut text);
        assert_eq!(
            text,
            "panicked at exercises/src/ch03_select.rs:22:5:\n --> solutions/tests/ch10_x.rs:1:1"
        );
        let mut other =
            "exercises/crates/ch03/Cargo.toml, exercises/crates/ch04/../../src/x".to_string();
        tidy_paths(&mut other);
        assert_eq!(other, "exercises/crates/ch03/Cargo.toml, exercises/src/x");
    }
}
