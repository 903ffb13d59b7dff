//! The runner's memory between runs: how many hints each exercise has had, so that asking again
//! gives the next one. A small text file, `hint ch03.1 2` a line.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How many hints each exercise has been given.
pub struct State {
    path: PathBuf,
    hints: BTreeMap<String, usize>,
}

impl State {
    /// Reads the state file; a missing or garbled file is a fresh start.
    pub fn load(path: &Path) -> State {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        State {
            path: path.to_path_buf(),
            hints: parse(&text),
        }
    }

    /// How many hints `id` has had.
    pub fn hints_seen(&self, id: &str) -> usize {
        self.hints.get(id).copied().unwrap_or(0)
    }

    /// Records that `id` has had `count` hints, and saves.
    pub fn set_hints_seen(&mut self, id: &str, count: usize) -> std::io::Result<()> {
        self.hints.insert(id.to_string(), count);
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&self.path, render(&self.hints))
    }
}

fn parse(text: &str) -> BTreeMap<String, usize> {
    text.lines()
        .filter_map(
            |line| match line.split_whitespace().collect::<Vec<_>>()[..] {
                ["hint", id, count] => Some((id.to_string(), count.parse().ok()?)),
                _ => None,
            },
        )
        .collect()
}

fn render(hints: &BTreeMap<String, usize>) -> String {
    hints
        .iter()
        .map(|(id, count)| format!("hint {id} {count}\n"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_it_wrote_and_skips_what_it_cannot_read() {
        let hints: BTreeMap<String, usize> = [("ch01.1".to_string(), 1), ("ch03.2".to_string(), 2)]
            .into_iter()
            .collect();
        assert_eq!(parse(&render(&hints)), hints);
        assert_eq!(
            parse("hint ch01.1 x\nnonsense\n\nhint ch02.1 1"),
            [("ch02.1".to_string(), 1)].into_iter().collect()
        );
    }
}
