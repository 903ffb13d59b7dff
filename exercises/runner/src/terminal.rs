//! The terminal in watch mode: raw mode (one key at a time, without Enter or echo), reading
//! keys, and redrawing the whole screen.

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::{cursor, queue, terminal};
use std::io::Write;

/// Raw mode while this lives; the terminal is itself again when it is dropped, on a panic too.
pub struct RawMode;

impl RawMode {
    /// Switches the terminal to raw mode. Fails when standard input is not a terminal.
    pub fn enter() -> std::io::Result<RawMode> {
        terminal::enable_raw_mode()?;
        Ok(RawMode)
    }
}

impl Drop for RawMode {
    fn drop(&mut self) {
        let _ = terminal::disable_raw_mode();
        println!();
    }
}

/// A key the learner pressed.
pub enum Key {
    /// A letter, in lower case.
    Letter(char),
    /// Ctrl-C: in raw mode it is a key, not a signal.
    Interrupt,
}

/// Waits for the next key press.
pub fn next_key() -> std::io::Result<Key> {
    loop {
        if let Event::Key(key) = event::read()? {
            if key.kind != KeyEventKind::Press {
                continue;
            }
            match key.code {
                KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                    return Ok(Key::Interrupt);
                }
                KeyCode::Char(c) => return Ok(Key::Letter(c.to_ascii_lowercase())),
                _ => {}
            }
        }
    }
}

/// Clears the screen and draws `top`, as much of `middle` as fits, and `bottom` under it.
pub fn draw(top: &[String], middle: &[String], bottom: &[String]) -> std::io::Result<()> {
    let (columns, rows) = terminal::size().unwrap_or((80, 24));
    let lines = fit(top, middle, bottom, columns.into(), rows.into());
    let mut out = std::io::stdout().lock();
    queue!(
        out,
        terminal::Clear(terminal::ClearType::All),
        cursor::MoveTo(0, 0)
    )?;
    // Raw mode does not turn "\n" into "\r\n": each line starts at the left edge by itself.
    out.write_all(lines.join("\r\n").as_bytes())?;
    out.flush()
}

/// `top`, then `middle` cut to what the screen holds (a line longer than the screen is wide
/// takes several rows), then `bottom`.
pub fn fit(
    top: &[String],
    middle: &[String],
    bottom: &[String],
    columns: usize,
    rows: usize,
) -> Vec<String> {
    let height = |line: &String| line.chars().count().div_ceil(columns.max(1)).max(1);
    let used: usize = top.iter().chain(bottom).map(height).sum();
    let mut room = rows.saturating_sub(used + 1);
    let mut lines: Vec<String> = top.to_vec();
    for line in middle {
        if height(line) > room {
            lines.push("…".to_string());
            break;
        }
        room -= height(line);
        lines.push(line.clone());
    }
    lines.extend_from_slice(bottom);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn the_middle_is_cut_so_top_and_bottom_stay_on_screen() {
        let top = lines(&["title"]);
        let middle = lines(&["one", "two", "three", "four"]);
        let bottom = lines(&["keys"]);
        let fitted = fit(&top, &middle, &bottom, 80, 5);
        assert_eq!(fitted, ["title", "one", "two", "…", "keys"]);
        let all = fit(&top, &middle, &bottom, 80, 40);
        assert_eq!(all.len(), 6);
    }

    #[test]
    fn a_long_line_counts_for_the_rows_it_wraps_onto() {
        let middle = lines(&["x".repeat(25).as_str(), "short"]);
        let fitted = fit(&[], &middle, &[], 10, 4);
        assert_eq!(fitted.len(), 2, "{fitted:?}"); // the long line takes 3 rows: no room for more
        assert_eq!(fitted[1], "…");
    }
}
