//! `-- watch`: shows the exercise at hand, re-runs its chapter's tests on every save, and moves
//! on when it passes. Keys: `h` a hint (again: more), `n` the next exercise (skipping this one),
//! `l` the list, `r` run again, `q` quit.
//!
//! Two threads feed one channel: one reads keys, one (notify's) reports saves in
//! `exercises/src/`. The main thread takes one input at a time, so nothing runs twice at once.

use crate::build::Side;
use crate::catalog::{self, EXERCISES};
use crate::check;
use crate::repo::Repo;
use crate::show;
use crate::state::State;
use crate::terminal::{self, Key, RawMode};
use crate::verdict::{self, Status, Verdict};
use notify::{EventKind, RecursiveMode, Watcher};
use std::collections::VecDeque;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::mpsc::{self, Sender};
use std::time::Duration;

/// What the main thread waits for.
enum Input {
    Key(Key),
    /// A chapter's file was saved (its module, `ch03_select`).
    Saved(&'static str),
    /// Watching for saves went wrong.
    Trouble(String),
}

/// Where the learner is.
struct Session<'a> {
    repo: &'a Repo,
    /// The last verdict on each exercise, by its index in [`EXERCISES`].
    verdicts: Vec<Option<Verdict>>,
    /// The exercise at hand (`None`: all done).
    current: Option<usize>,
    /// Hints shown for the current exercise.
    hints: usize,
    /// A line of news: "ch03.1 passes", or a problem.
    news: Option<String>,
    /// Whether the list is shown instead of the exercise.
    listing: bool,
    state: State,
}

pub fn watch(repo: &Repo) -> std::io::Result<ExitCode> {
    if !std::io::stdin().is_terminal() {
        eprintln!("watch mode reads single keys: run it in a terminal");
        return Ok(ExitCode::from(2));
    }
    println!("Checking every exercise...");
    let mut session = Session {
        repo,
        verdicts: vec![None; EXERCISES.len()],
        current: None,
        hints: 0,
        news: None,
        listing: false,
        state: State::load(&repo.state_file()),
    };
    session.check(&catalog::modules(), true)?;
    session.current = session.next_from(check::touched_chapter(repo));

    let (inputs, received) = mpsc::channel();
    let _watcher = watch_saves(repo, inputs.clone())?;
    let _raw = RawMode::enter()?;
    std::thread::spawn(move || {
        while let Ok(key) = terminal::next_key() {
            if inputs.send(Input::Key(key)).is_err() {
                break;
            }
        }
    });
    let mut waiting = VecDeque::new();
    loop {
        session.draw(None)?;
        let input = match waiting.pop_front() {
            Some(input) => input,
            None => received.recv().map_err(std::io::Error::other)?,
        };
        match input {
            Input::Key(Key::Interrupt | Key::Letter('q')) => break,
            Input::Key(Key::Letter('h')) => session.more_hints()?,
            Input::Key(Key::Letter('n')) => session.skip(),
            Input::Key(Key::Letter('l')) => session.listing = !session.listing,
            Input::Key(Key::Letter('r')) => {
                if let Some(i) = session.current {
                    session.rerun(&[EXERCISES[i].module])?;
                }
            }
            Input::Key(_) => {}
            Input::Saved(module) => {
                // One save is often several events (write, then close or rename): let them
                // arrive, then take them together. Keys pressed meanwhile wait their turn.
                std::thread::sleep(Duration::from_millis(100));
                let mut saved = vec![module];
                while let Ok(more) = received.try_recv() {
                    match more {
                        Input::Saved(module) if !saved.contains(&module) => saved.push(module),
                        Input::Saved(_) => {}
                        other => waiting.push_back(other),
                    }
                }
                session.saved(&saved)?;
            }
            Input::Trouble(why) => session.news = Some(why),
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Sends [`Input::Saved`] for each change to a chapter's file in `exercises/src/`.
fn watch_saves(repo: &Repo, inputs: Sender<Input>) -> std::io::Result<impl Watcher> {
    let modules = catalog::modules();
    let mut watcher =
        notify::recommended_watcher(move |event: notify::Result<notify::Event>| match event {
            Ok(event) if matches!(event.kind, EventKind::Modify(_) | EventKind::Create(_)) => {
                for path in &event.paths {
                    let stem = path.file_stem().and_then(|stem| stem.to_str());
                    let is_rust = path.extension().is_some_and(|ext| ext == "rs");
                    if let Some(module) = modules.iter().find(|m| is_rust && stem == Some(**m)) {
                        let _ = inputs.send(Input::Saved(module));
                    }
                }
            }
            Ok(_) => {}
            Err(e) => {
                let _ = inputs.send(Input::Trouble(format!("watching for saves: {e}")));
            }
        })
        .map_err(std::io::Error::other)?;
    watcher
        .watch(&repo.path("exercises/src"), RecursiveMode::NonRecursive)
        .map_err(std::io::Error::other)?;
    Ok(watcher)
}

impl Session<'_> {
    fn done(&self) -> Vec<bool> {
        self.verdicts
            .iter()
            .map(|v| v.as_ref().is_some_and(|v| v.status == Status::Done))
            .collect()
    }

    /// The first exercise not done in `chapter`, or after it.
    fn next_from(&self, chapter: Option<&str>) -> Option<usize> {
        let chapters: Vec<&str> = EXERCISES.iter().map(|ex| ex.chapter()).collect();
        verdict::choose_next(&chapters, &self.done(), chapter)
    }

    fn check(&mut self, modules: &[&str], chatty: bool) -> std::io::Result<()> {
        for (ex, verdict) in check::check(self.repo, Side::Exercises, modules, chatty)? {
            let i = EXERCISES.iter().position(|other| other.id == ex.id);
            self.verdicts[i.expect("from the catalog")] = Some(verdict);
        }
        Ok(())
    }

    fn set_current(&mut self, current: Option<usize>) {
        if current != self.current {
            self.hints = 0;
        }
        self.current = current;
    }

    /// Runs the tests of `modules` again; moves on if the current exercise now passes.
    fn rerun(&mut self, modules: &[&str]) -> std::io::Result<()> {
        let names: Vec<&str> = modules.iter().map(|m| &m[..4]).collect();
        self.draw(Some(&format!(
            "running the tests of {}...",
            names.join(", ")
        )))?;
        self.check(modules, false)?;
        let Some(i) = self.current.filter(|&i| self.done()[i]) else {
            return Ok(());
        };
        let id = EXERCISES[i].id;
        let next = self.next_from(Some(EXERCISES[i].chapter()));
        self.set_current(next);
        self.news = Some(match next {
            Some(n) => format!(
                "{id} passes! On to {}. (Ours, to compare: cargo run -p exercises -- solution {id})",
                EXERCISES[n].id
            ),
            None => format!("{id} passes, and with it every exercise. Well done!"),
        });
        Ok(())
    }

    /// After a save: re-run those chapters. A save in another chapter than the current
    /// exercise's means the learner has moved there: follow them.
    fn saved(&mut self, modules: &[&'static str]) -> std::io::Result<()> {
        self.news = None;
        let here = self.current.map(|i| EXERCISES[i].module);
        let elsewhere = modules.iter().find(|m| Some(**m) != here);
        match elsewhere {
            Some(module) => {
                self.rerun(modules)?;
                let next = self.next_from(Some(&module[..4]));
                self.set_current(next);
                if let Some(n) = next {
                    self.news = Some(format!(
                        "You saved {module}.rs: here is {}, the first exercise not done there \
                         or after it.",
                        EXERCISES[n].id
                    ));
                }
                Ok(())
            }
            None => self.rerun(modules),
        }
    }

    fn skip(&mut self) {
        self.news = None;
        if let Some(i) = self.current {
            let next = verdict::after(&self.done(), i).unwrap_or(i);
            self.set_current(Some(next));
        }
    }

    fn more_hints(&mut self) -> std::io::Result<()> {
        let Some(i) = self.current else {
            return Ok(());
        };
        let ex = &EXERCISES[i];
        self.hints = (self.hints + 1).min(ex.hints.len());
        let seen = self.state.hints_seen(ex.id).max(self.hints);
        self.state.set_hints_seen(ex.id, seen)
    }

    fn draw(&self, busy: Option<&str>) -> std::io::Result<()> {
        let done_ids: Vec<&str> = EXERCISES
            .iter()
            .zip(self.done())
            .filter(|(_, done)| *done)
            .map(|(ex, _)| ex.id)
            .collect();
        let mut top = Vec::new();
        let mut middle = Vec::new();
        if let Some(news) = &self.news {
            top.push(news.clone());
            top.push(String::new());
        }
        if self.listing {
            top.push(format!(
                "Every exercise ({} of {} done):",
                done_ids.len(),
                EXERCISES.len()
            ));
            for (i, ex) in EXERCISES.iter().enumerate() {
                let mark = if Some(i) == self.current { ">" } else { " " };
                let line = match &self.verdicts[i] {
                    Some(verdict) => show::list_line(ex, verdict),
                    None => format!("?     {} {}", ex.id, ex.title),
                };
                middle.push(format!("{mark} {line}"));
            }
        } else if let Some((i, verdict)) = self
            .current
            .and_then(|i| Some((i, self.verdicts[i].as_ref()?)))
        {
            let ex = &EXERCISES[i];
            top.push(format!(
                "{} — {}    ({} of {} done)",
                ex.id,
                ex.title,
                done_ids.len(),
                EXERCISES.len()
            ));
            top.extend(
                show::card(ex, verdict, &done_ids)
                    .into_iter()
                    .map(|l| format!("  {l}")),
            );
            let width = crossterm::terminal::size().map_or(80, |(columns, _)| columns.into());
            for (n, hint) in ex.hints.iter().enumerate().take(self.hints) {
                middle.push(String::new());
                let hint = format!("Hint {} of {}: {hint}", n + 1, ex.hints.len());
                middle.extend(show::wrap(&hint, width));
            }
            if !verdict.details.is_empty() {
                middle.push(String::new());
                middle.extend(verdict.details.lines().map(|l| format!("  {l}")));
            }
        } else {
            top.push("Every exercise passes. `q` to quit.".to_string());
        }
        let keys = "h hint · n next · l list · r run again · q quit    (save a file in exercises/src/ to re-run)";
        let bottom = vec![String::new(), busy.unwrap_or(keys).to_string()];
        terminal::draw(&top, &middle, &bottom)
    }
}
