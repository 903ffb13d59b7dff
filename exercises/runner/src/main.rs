//! `cargo run -p exercises`: how far along are you, and what next?
//!
//! ```text
//! cargo run -p exercises                      # each chapter's progress, and the next exercise
//! cargo run -p exercises -- watch             # re-runs the exercise at hand on every save
//! cargo run -p exercises -- list              # every exercise and where it stands
//! cargo run -p exercises -- chapter 3         # one chapter's exercises
//! cargo run -p exercises -- hint ch03.1       # a nudge; ask again for more
//! cargo run -p exercises -- solution ch03.1   # our solution, once yours passes
//! cargo run -p exercises -- verify            # (maintainers, CI) every exercise fails
//!                                             #   untouched and passes in solutions/
//! ```
//!
//! Each chapter's exercises are a crate of their own (`exercises-chNN`), so a chapter that does
//! not compile stops only its own tests.

mod build;
mod catalog;
mod check;
mod repo;
mod show;
mod source;
mod state;
mod terminal;
mod testrun;
mod verdict;
mod verify;
mod watch;

use build::Side;
use catalog::{EXERCISES, Exercise};
use repo::Repo;
use std::process::ExitCode;
use verdict::{Status, Verdict};

const USAGE: &str = "usage: cargo run -p exercises [-- watch | list | chapter N | hint ID [1|2] | \
                     solution ID | verify]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let repo = Repo::here();
    let outcome = match args.as_slice() {
        [] => progress(&repo),
        ["list"] => list(&repo, None),
        ["chapter", number] => match number.parse::<u32>() {
            Ok(number) => list(&repo, Some(number)),
            Err(_) => usage(),
        },
        ["watch"] => watch::watch(&repo),
        ["hint", id] => hint(&repo, id, None),
        ["hint", id, step] => match step.parse::<usize>() {
            Ok(step @ 1..=2) => hint(&repo, id, Some(step)),
            _ => usage(),
        },
        ["solution", id] => solution(&repo, id),
        ["verify"] => verify::verify(&repo),
        _ => usage(),
    };
    outcome.unwrap_or_else(|e| {
        eprintln!("error: {e}");
        ExitCode::FAILURE
    })
}

fn usage() -> std::io::Result<ExitCode> {
    eprintln!("{USAGE}");
    Ok(ExitCode::from(2))
}

/// Every chapter in one line, then the next exercise in full.
fn progress(repo: &Repo) -> std::io::Result<ExitCode> {
    let verdicts = check::check(repo, Side::Exercises, &catalog::modules(), true)?;
    let mut chapters: Vec<(&str, Vec<&Verdict>)> = Vec::new();
    for (ex, verdict) in &verdicts {
        match chapters.last_mut() {
            Some((chapter, list)) if *chapter == ex.chapter() => list.push(verdict),
            _ => chapters.push((ex.chapter(), vec![verdict])),
        }
    }
    for (chapter, list) in &chapters {
        let bar: String = list
            .iter()
            .map(|v| if v.status == Status::Done { '#' } else { '.' })
            .collect();
        let done = list.iter().filter(|v| v.status == Status::Done).count();
        let broken = list.iter().any(|v| v.status == Status::DoesNotCompile);
        let note = if broken { "  does not compile" } else { "" };
        println!("{chapter}  {bar:<4}  {done} of {}{note}", list.len());
    }
    let done = verdicts
        .iter()
        .filter(|(_, v)| v.status == Status::Done)
        .count();
    println!(
        "\n{done} of {} exercises done. `cargo run -p exercises -- list` shows each one.",
        verdicts.len()
    );
    print_next(repo, &verdicts, None);
    Ok(ExitCode::SUCCESS)
}

/// Every exercise (or one chapter's) with where it stands, then the next one.
fn list(repo: &Repo, chapter: Option<u32>) -> std::io::Result<ExitCode> {
    let modules: Vec<&str> = catalog::modules()
        .into_iter()
        .filter(|module| chapter.is_none_or(|n| module[2..4].parse() == Ok(n)))
        .collect();
    if modules.is_empty() {
        let numbers: Vec<u32> = EXERCISES.iter().map(Exercise::chapter_number).collect();
        eprintln!(
            "no exercises in chapter {}; chapters {}-{} have some",
            chapter.unwrap_or(0),
            numbers.first().unwrap_or(&0),
            numbers.last().unwrap_or(&0)
        );
        return Ok(ExitCode::from(2));
    }
    let verdicts = check::check(repo, Side::Exercises, &modules, true)?;
    for (ex, verdict) in &verdicts {
        println!("{}", show::list_line(ex, verdict));
    }
    print_next(repo, &verdicts, chapter.map(|_| modules[0]));
    Ok(ExitCode::SUCCESS)
}

/// The next exercise: in the chapter the learner touched last (or in `only`, a module, when one
/// chapter is listed), with where it stands and the commands for it.
fn print_next(repo: &Repo, verdicts: &[(&Exercise, Verdict)], only: Option<&str>) {
    let chapters: Vec<&str> = verdicts.iter().map(|(ex, _)| ex.chapter()).collect();
    let done: Vec<bool> = verdicts
        .iter()
        .map(|(_, v)| v.status == Status::Done)
        .collect();
    let touched = match only {
        Some(module) => Some(&module[..4]),
        None => check::touched_chapter(repo),
    };
    let Some(next) = verdict::choose_next(&chapters, &done, touched) else {
        println!("\nAll done here. `cargo run -p exercises -- solution ID` shows ours to compare.");
        return;
    };
    let (ex, verdict) = &verdicts[next];
    let why = match touched {
        Some(chapter) if only.is_none() && chapter == ex.chapter() => {
            format!("  (you were last in {chapter})")
        }
        _ => String::new(),
    };
    println!("\nNext: {} — {}{why}", ex.id, ex.title);
    for line in show::card(ex, verdict, &done_ids(verdicts)) {
        println!("  {line}");
    }
    println!("  watch: cargo run -p exercises -- watch");
    println!("  stuck: cargo run -p exercises -- hint {}", ex.id);
    if !verdict.details.is_empty() && verdict.status != Status::NoTests {
        println!();
        for line in verdict.details.lines().take(16) {
            println!("    {line}");
        }
    }
}

/// The ids of the exercises done.
fn done_ids(verdicts: &[(&Exercise, Verdict)]) -> Vec<&'static str> {
    verdicts
        .iter()
        .filter(|(_, v)| v.status == Status::Done)
        .map(|(ex, _)| ex.id)
        .collect()
}

/// A hint: the next one not yet seen, or step `step`.
fn hint(repo: &Repo, id: &str, step: Option<usize>) -> std::io::Result<ExitCode> {
    let Some(ex) = catalog::find(id) else {
        return unknown(id);
    };
    let mut state = state::State::load(&repo.state_file());
    let seen = state.hints_seen(id);
    let upto = step.unwrap_or((seen + 1).min(ex.hints.len()));
    println!("{} — {}\n", ex.id, ex.title);
    for (i, text) in ex.hints.iter().enumerate().take(upto) {
        let hint = format!("Hint {} of {}: {text}", i + 1, ex.hints.len());
        println!("{}\n", show::wrap(&hint, 96).join("\n"));
    }
    if upto < ex.hints.len() {
        println!("Ask again for more: cargo run -p exercises -- hint {id}");
    } else {
        println!(
            "That is every hint. The book explains it in book/src/{}; once your code passes, \
             `cargo run -p exercises -- solution {id}` shows ours.",
            ex.page
        );
    }
    state.set_hints_seen(id, upto.max(seen))?;
    Ok(ExitCode::SUCCESS)
}

/// Our solution, but only once the learner's passes.
fn solution(repo: &Repo, id: &str) -> std::io::Result<ExitCode> {
    let Some(ex) = catalog::find(id) else {
        return unknown(id);
    };
    let verdicts = check::check(repo, Side::Exercises, &[ex.module], true)?;
    let verdict = verdicts
        .iter()
        .find(|(other, _)| other.id == id)
        .map(|(_, v)| v);
    if verdict.is_none_or(|v| v.status != Status::Done) {
        println!(
            "{id} does not pass yet ({}): our solution is shown once yours passes.\n\
             A hint: cargo run -p exercises -- hint {id}",
            verdict.map_or("not run".to_string(), show::describe)
        );
        return Ok(ExitCode::FAILURE);
    }
    let path = format!("solutions/src/{}.rs", ex.module);
    let text = std::fs::read_to_string(repo.path(&path))?;
    let found = source::function(&text, ex.function).unwrap_or(text);
    println!("{id} passes. Ours, from {path}:\n\n{found}");
    Ok(ExitCode::SUCCESS)
}

fn unknown(id: &str) -> std::io::Result<ExitCode> {
    let ids: Vec<&str> = EXERCISES.iter().map(|ex| ex.id).collect();
    eprintln!("no exercise {id:?}; the exercises are: {}", ids.join(", "));
    Ok(ExitCode::from(2))
}
