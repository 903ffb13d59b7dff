//! `-- verify`, the check that keeps the exercises honest (`.ci/run` runs it):
//!
//! * each chapter has its two crates (`exercises/crates/chNN`, `solutions/crates/chNN`);
//! * each stub says `todo!("chNN.M: ...")` with its own id, and each test has a time limit;
//! * each exercise fails untouched (at a `todo!()`: a test that passes on a stub checks nothing),
//!   and a test stopping at another exercise's stub is declared in `needs`;
//! * each exercise selects at least one test, and all of them pass against `solutions/`;
//! * the solutions are rustfmt-clean.

use crate::build::Side;
use crate::catalog::{self, EXERCISES};
use crate::check;
use crate::repo::Repo;
use crate::verdict::Status;
use std::process::{Command, ExitCode, Stdio};

pub fn verify(repo: &Repo) -> std::io::Result<ExitCode> {
    let modules = catalog::modules();
    let mut problems = layout_problems(repo, &modules);
    if !problems.is_empty() {
        return Ok(report(problems));
    }
    let untouched = check::check(repo, Side::Exercises, &modules, true)?;
    let solved = check::check(repo, Side::Solutions, &modules, true)?;
    for ((ex, unsolved), (_, solved)) in untouched.iter().zip(&solved) {
        let problem = match (&unsolved.status, &solved.status) {
            (
                Status::Todo {
                    blocked_by: Some(other),
                },
                _,
            ) if !ex.needs.contains(&other.as_str()) => Some(format!(
                "its tests stop at {other}'s todo!(): add it to `needs` in the catalog"
            )),
            (Status::Todo { .. }, Status::Done) => None,
            (Status::Todo { .. }, Status::NoTests) => Some(
                "selects no test: check `tests` in exercises/runner/src/catalog.rs".to_string(),
            ),
            (Status::Todo { .. }, other) => Some(format!(
                "fails against solutions/ ({}):\n{}",
                other.label(),
                solved.details
            )),
            (Status::Done, _) => {
                Some("passes against the untouched exercise: its tests check nothing".to_string())
            }
            (other, _) => Some(format!(
                "untouched, it must fail at its todo!(), but it is `{}`:\n{}",
                other.label(),
                unsolved.details
            )),
        };
        match problem {
            Some(why) => problems.push(format!("{}: {why}", ex.id)),
            None => println!(
                "ok   {}: fails untouched, {} test(s) pass solved",
                ex.id, solved.total
            ),
        }
    }
    problems.extend(unformatted_solutions(repo, &modules)?);
    Ok(report(problems))
}

fn report(problems: Vec<String>) -> ExitCode {
    for problem in &problems {
        println!("FAIL {problem}");
    }
    if problems.is_empty() {
        println!("{} exercises verified", EXERCISES.len());
        ExitCode::SUCCESS
    } else {
        println!("{} problem(s)", problems.len());
        ExitCode::FAILURE
    }
}

/// Missing crates, stubs without their id, tests without a time limit.
fn layout_problems(repo: &Repo, modules: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for module in modules {
        let chapter = &module[..4];
        for needed in [
            format!("exercises/crates/{chapter}/Cargo.toml"),
            format!("solutions/crates/{chapter}/Cargo.toml"),
            format!("solutions/tests/{module}.rs"),
        ] {
            if !repo.path(&needed).exists() {
                problems.push(format!(
                    "{module}: no {needed} (see the README's checklist)"
                ));
            }
        }
        let stub = std::fs::read_to_string(repo.path(&format!("exercises/src/{module}.rs")));
        let ids: Vec<&str> = EXERCISES
            .iter()
            .filter(|ex| ex.module == *module)
            .map(|ex| ex.id)
            .collect();
        match stub {
            Ok(text) => problems.extend(stub_problems(&text, &ids, module)),
            Err(e) => problems.push(format!("exercises/src/{module}.rs: {e}")),
        }
        if let Ok(tests) =
            std::fs::read_to_string(repo.path(&format!("exercises/tests/{module}.rs")))
        {
            for name in tests_without_time_limit(&tests) {
                problems.push(format!(
                    "exercises/tests/{module}.rs: test `{name}` has no `time_limit(|| ...)`"
                ));
            }
        }
    }
    problems
}

/// What is wrong with the `todo!()`s of a stub file whose exercises are `ids`: each must start
/// `todo!("chNN.M: ` with one of them, and each id must have one.
fn stub_problems(text: &str, ids: &[&str], module: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    for (_, after) in text
        .match_indices("todo!(")
        .map(|(i, _)| text.split_at(i + 6))
    {
        let id = after
            .trim_start()
            .strip_prefix('"')
            .and_then(|quoted| quoted.split_once(':'))
            .map(|(id, _)| id);
        match id {
            Some(id) if ids.contains(&id) => seen.push(id),
            _ => problems.push(format!(
                "exercises/src/{module}.rs: a todo!() without `\"chNN.M: what to do\"` of one of \
                 {ids:?}"
            )),
        }
    }
    for id in ids {
        if !seen.contains(id) {
            problems.push(format!(
                "{id}: no todo!(\"{id}: ...\") in exercises/src/{module}.rs"
            ));
        }
    }
    problems
}

/// The tests whose body does not start with `time_limit(`.
fn tests_without_time_limit(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let mut missing = Vec::new();
    for (i, line) in lines.iter().enumerate() {
        if *line != "#[test]" {
            continue;
        }
        let Some(offset) = lines[i..].iter().position(|l| l.starts_with("fn ")) else {
            continue;
        };
        let signature = lines[i + offset];
        let first_statement = lines.get(i + offset + 1).copied().unwrap_or_default();
        if !first_statement.starts_with("time_limit(") {
            let name = signature
                .trim_start_matches("fn ")
                .split('(')
                .next()
                .unwrap_or(signature);
            missing.push(name.to_string());
        }
    }
    missing
}

/// `rustfmt --check` on the solutions: they are what a learner compares with.
fn unformatted_solutions(repo: &Repo, modules: &[&str]) -> std::io::Result<Vec<String>> {
    let files: Vec<String> = modules
        .iter()
        .map(|module| format!("solutions/src/{module}.rs"))
        .collect();
    let output = Command::new("rustfmt")
        .current_dir(&repo.root)
        .args(["--check", "--edition", "2024"])
        .args(&files)
        .stdin(Stdio::null())
        .output()?;
    if output.status.success() {
        return Ok(Vec::new());
    }
    let diff = String::from_utf8_lossy(&output.stdout);
    let mut unformatted: Vec<String> = diff
        .lines()
        .filter_map(|line| line.strip_prefix("Diff in "))
        .filter_map(|rest| rest.split(':').next())
        .map(|file| {
            let root = format!("{}/", repo.root.display());
            let file = file.strip_prefix(&root).unwrap_or(file);
            format!("{file}: not rustfmt-clean (run `cargo fmt --all`)")
        })
        .collect();
    unformatted.dedup();
    if unformatted.is_empty() {
        unformatted.push(format!(
            "rustfmt failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(unformatted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stub_names_its_exercise() {
        let good = "fn a() { todo!(\"ch05.1: do a\") }\nfn b() {\n    todo!(\n        \"ch05.2: b {x}\",\n    )\n}";
        assert!(stub_problems(good, &["ch05.1", "ch05.2"], "m").is_empty());
        let bare = "fn a() { todo!() }\nfn b() { todo!(\"ch05.9: x\") }";
        let problems = stub_problems(bare, &["ch05.1"], "m");
        assert_eq!(problems.len(), 3, "{problems:?}"); // bare, unknown id, ch05.1 missing
    }

    #[test]
    fn finds_tests_without_a_time_limit() {
        let text = "
    #[test]
    fn limited() {
        time_limit(|| {
            assert!(true);
        });
    }

    #[cfg(target_os = \"linux\")]
    #[test]
    fn unlimited() {
        assert!(true);
    }
";
        assert_eq!(tests_without_time_limit(text), ["unlimited"]);
    }
}
