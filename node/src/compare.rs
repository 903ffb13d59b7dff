//! `--compare`: the same program on `ch11-node` and on `node`, side by side, with the first
//! line where they differ.

use std::io;
use std::path::Path;
use std::process::{Command, Stdio};

/// What one run printed and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Who ran it: `ch11-node` or `node v20.20.2`.
    pub who: String,
    /// Its stdout.
    pub stdout: String,
    /// Its exit code (`-1` if a signal ended it).
    pub code: i32,
}

/// Runs `program args...` with `script` and returns what it printed.
pub fn run(who: &str, program: &Path, script: &Path, args: &[String]) -> io::Result<Run> {
    let out = Command::new(program)
        .arg(script)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()?;
    Ok(Run {
        who: who.to_string(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        code: out.status.code().unwrap_or(-1),
    })
}

/// `node --version`, if `node` is installed.
pub fn node_version() -> Option<String> {
    let out = Command::new("node").arg("--version").output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The first line (counting from 1) where the two runs differ, the exit code counting as a last
/// line; `None` if they agree.
pub fn first_difference(a: &Run, b: &Run) -> Option<usize> {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.stdout.lines().collect(), b.stdout.lines().collect());
    for i in 0..la.len().max(lb.len()) {
        if la.get(i) != lb.get(i) {
            return Some(i + 1);
        }
    }
    (a.code != b.code).then_some(la.len() + 1)
}

// ANCHOR: side_by_side
/// Both outputs in two columns, a `!` on every line that differs, then a verdict.
pub fn side_by_side(a: &Run, b: &Run) -> String {
    let (la, lb): (Vec<&str>, Vec<&str>) = (a.stdout.lines().collect(), b.stdout.lines().collect());
    let width = la
        .iter()
        .map(|l| l.chars().count())
        .chain([a.who.len() + 10])
        .max()
        .unwrap_or(0)
        .min(60);
    let mut out = format!("   {:<width$} | {}\n", a.who, b.who);
    for i in 0..la.len().max(lb.len()) {
        let (x, y) = (
            la.get(i).copied().unwrap_or(""),
            lb.get(i).copied().unwrap_or(""),
        );
        let mark = if la.get(i) == lb.get(i) { ' ' } else { '!' };
        out.push_str(&format!(" {mark} {x:<width$} | {y}\n"));
    }
    let mark = if a.code == b.code { ' ' } else { '!' };
    let (ca, cb) = (
        format!("(exit code {})", a.code),
        format!("(exit code {})", b.code),
    );
    out.push_str(&format!(" {mark} {ca:<width$} | {cb}\n"));
    match first_difference(a, b) {
        None => out.push_str("same output and exit code\n"),
        Some(line) if line > la.len().max(lb.len()) => {
            out.push_str("same output, different exit code\n")
        }
        Some(line) => out.push_str(&format!("first difference: line {line}\n")),
    }
    out
}
// ANCHOR_END: side_by_side

#[cfg(test)]
mod tests {
    use super::*;

    fn run(stdout: &str, code: i32) -> Run {
        Run {
            who: "x".into(),
            stdout: stdout.into(),
            code,
        }
    }

    #[test]
    fn the_first_difference_is_a_line_or_the_exit_code() {
        assert_eq!(first_difference(&run("a\nb\n", 0), &run("a\nb\n", 0)), None);
        assert_eq!(
            first_difference(&run("a\nb\n", 0), &run("a\nc\n", 0)),
            Some(2)
        );
        assert_eq!(first_difference(&run("a\n", 0), &run("a\nb\n", 0)), Some(2));
        assert_eq!(first_difference(&run("a\n", 0), &run("a\n", 1)), Some(2));
    }

    #[test]
    fn side_by_side_marks_what_differs() {
        let text = side_by_side(&run("same\nours\n", 0), &run("same\ntheirs\n", 0));
        assert!(text.contains("   same"), "{text}");
        assert!(text.contains(" ! ours"), "{text}");
        assert!(text.ends_with("first difference: line 2\n"), "{text}");
        let text = side_by_side(&run("a\n", 0), &run("a\n", 3));
        assert!(
            text.ends_with("same output, different exit code\n"),
            "{text}"
        );
    }
}
