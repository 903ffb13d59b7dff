//! `cargo run -p exercises`: how far along are you?
//!
//! Runs each exercise's tests and prints one line per exercise, then the next one to do.
//!
//! ```text
//! cargo run -p exercises               # progress, and the next exercise
//! cargo run -p exercises -- hint ch03.1  # a hint for one exercise
//! cargo run -p exercises -- verify     # (maintainers, CI) every exercise fails untouched and
//!                                      #   passes in solutions/
//! ```

mod catalog;
mod runner;

use catalog::{EXERCISES, Exercise};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        [] => progress(),
        ["hint", id] => hint(id),
        ["verify"] => verify(),
        _ => {
            eprintln!("usage: cargo run -p exercises [-- hint ID | -- verify]");
            ExitCode::from(2)
        }
    }
}

fn progress() -> ExitCode {
    let mut next: Option<&Exercise> = None;
    let mut done = 0;
    for ex in EXERCISES {
        let passed = runner::run_tests("exercises", ex).passed();
        println!(
            "{} {:<7} {}",
            if passed { "[pass]" } else { "[    ]" },
            ex.id,
            ex.title
        );
        if passed {
            done += 1;
        } else if next.is_none() {
            next = Some(ex);
        }
    }
    println!("\n{done} of {} exercises pass.", EXERCISES.len());
    match next {
        Some(ex) => {
            println!("\nNext: {} — {}", ex.id, ex.title);
            println!(
                "  edit:  exercises/src/{}.rs  (fn {})",
                ex.module, ex.function
            );
            println!("  read:  book/src/{}", ex.page);
            println!(
                "  check: cargo test -p exercises --test {} {}",
                ex.module, ex.tests
            );
            println!("  stuck: cargo run -p exercises -- hint {}", ex.id);
        }
        None => println!("All done. Compare with solutions/ to see another way."),
    }
    ExitCode::SUCCESS
}

fn hint(id: &str) -> ExitCode {
    match EXERCISES.iter().find(|ex| ex.id == id) {
        Some(ex) => {
            println!("{} — {}\n\n{}", ex.id, ex.title, ex.hint);
            ExitCode::SUCCESS
        }
        None => {
            let ids: Vec<_> = EXERCISES.iter().map(|ex| ex.id).collect();
            eprintln!("no exercise {id:?}; the exercises are: {}", ids.join(", "));
            ExitCode::from(2)
        }
    }
}

/// The check that keeps exercises honest (run by `.ci/run`): each exercise must have at least
/// one failing test against the untouched `exercises/` — a test that passes on a `todo!()` stub
/// checks nothing — and all of its tests, at least one, must pass against `solutions/`.
fn verify() -> ExitCode {
    let mut bad = 0;
    for ex in EXERCISES {
        let unsolved = runner::run_tests("exercises", ex);
        let solved = runner::run_tests("solutions", ex);
        let problem = if unsolved.passed() {
            Some("passes against the untouched exercise: its tests check nothing")
        } else if !solved.passed() {
            Some("fails against solutions/")
        } else if solved.tests_run == 0 {
            Some("selects no test: check `tests` in exercises/src/catalog.rs")
        } else {
            None
        };
        match problem {
            Some(why) => {
                bad += 1;
                println!("FAIL {}: {why}", ex.id);
            }
            None => println!(
                "ok   {}: fails unsolved, {} test(s) pass solved",
                ex.id, solved.tests_run
            ),
        }
    }
    if bad == 0 {
        println!("{} exercises verified", EXERCISES.len());
        ExitCode::SUCCESS
    } else {
        println!("{bad} exercise(s) failed verification");
        ExitCode::FAILURE
    }
}
