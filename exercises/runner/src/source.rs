//! Finds one function in a source file, for `-- solution ID`: the solution's function with its
//! doc comment, not the whole file.

/// The text of `fn name` in `source` (`name` may be `Type::method`): its doc comment and
/// attributes, its signature and its body, with the indentation of an `impl` removed.
pub fn function(source: &str, name: &str) -> Option<String> {
    let name = name.rsplit("::").next()?;
    let lines: Vec<&str> = source.lines().collect();
    let start = (0..lines.len()).find(|&i| declares(&lines, i, name))?;
    let end = closing_line(&lines, start)?;
    // Take in the doc comment and attributes written above it.
    let mut first = start;
    while first > 0 {
        let above = lines[first - 1].trim_start();
        if above.starts_with("///") || above.starts_with("#[") {
            first -= 1;
        } else {
            break;
        }
    }
    let indent = lines[start].len() - lines[start].trim_start().len();
    let text: Vec<&str> = lines[first..=end]
        .iter()
        .map(|line| line.get(indent..).unwrap_or(line.trim_start()))
        .collect();
    Some(text.join("\n"))
}

/// Whether line `i` starts `fn name` with a body (not a trait's `fn name(..);`).
fn declares(lines: &[&str], i: usize, name: &str) -> bool {
    if lines[i].trim_start().starts_with("//") {
        return false;
    }
    let Some((_, after)) = lines[i].split_once(&format!("fn {name}")) else {
        return false;
    };
    if !after.starts_with(['(', '<']) {
        return false; // `fn run_timers` is not `fn run`
    }
    // Whichever comes first after the name, outside brackets (`[u8; 4]`): `{` opens a body,
    // `;` ends a declaration.
    let mut brackets = 0;
    for c in lines[i..].iter().flat_map(|line| line.chars()) {
        match c {
            '[' => brackets += 1,
            ']' => brackets -= 1,
            '{' if brackets == 0 => return true,
            ';' if brackets == 0 => return false,
            _ => {}
        }
    }
    false
}

/// The line where the body opened at or after line `start` closes (braces counted; the files are
/// rustfmt-formatted, and braces in strings or chars would need to balance).
fn closing_line(lines: &[&str], start: usize) -> Option<usize> {
    let mut depth = 0;
    let mut opened = false;
    for (i, line) in lines.iter().enumerate().skip(start) {
        for c in line.chars() {
            match c {
                '{' => {
                    depth += 1;
                    opened = true;
                }
                '}' => depth -= 1,
                _ => {}
            }
        }
        if opened && depth == 0 {
            return Some(i);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "\
pub trait Phases {
    /// The poll timeout.
    fn poll_timeout(&self) -> i32;
}

/// Exercise ch07.1: the timeout.
#[inline]
pub fn poll_timeout(state: &State) -> i32 {
    if state.stopping {
        return 0;
    }
    -1
}

pub fn run_timers() {}

pub fn fill(buf: [u8; 4]) {}

impl MiniLoop {
    /// Exercise ch04.1: registers.
    pub fn register(
        &mut self,
        callback: Callback,
    ) -> Token {
        let token = Token { index: 0 };
        token
    }
}
";

    #[test]
    fn finds_the_function_with_its_doc_comment_not_a_declaration() {
        let found = function(SOURCE, "poll_timeout").unwrap();
        assert!(found.starts_with("/// Exercise ch07.1: the timeout.\n#[inline]\npub fn"));
        assert!(found.ends_with("    -1\n}"), "{found}");
    }

    #[test]
    fn finds_a_method_and_removes_the_impl_indentation() {
        let found = function(SOURCE, "MiniLoop::register").unwrap();
        assert!(found.starts_with("/// Exercise ch04.1: registers.\npub fn register("));
        assert!(found.contains("\n    let token = Token { index: 0 };\n"));
        assert!(found.ends_with("\n}"));
    }

    #[test]
    fn a_longer_name_is_not_a_match() {
        assert_eq!(function(SOURCE, "run"), None);
        assert_eq!(
            function(SOURCE, "run_timers").as_deref(),
            Some("pub fn run_timers() {}")
        );
        let fill = function(SOURCE, "fill");
        assert_eq!(fill.as_deref(), Some("pub fn fill(buf: [u8; 4]) {}"));
    }
}
