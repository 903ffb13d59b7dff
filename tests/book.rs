//! Checks on the book that need no mdBook: every page in `SUMMARY.md` exists; every
//! `{{#include}}`/`{{#rustdoc_include}}` names an existing file and, where given, an anchor that
//! the file marks with `ANCHOR:`/`ANCHOR_END:`; every internal link and image resolves, fragment
//! included; every repository path a page names in backticks exists; and every chapter page links
//! its cheatsheet and names its program and exercise files.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn book_src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src")
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every markdown page under book/src, with its text.
fn pages() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![book_src()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                let text = fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out.sort();
    out
}

/// The `{{#include ...}}` and `{{#rustdoc_include ...}}` directives of a page: (path, anchor).
fn includes(text: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    for piece in text.split("{{#").skip(1) {
        let Some(body) = piece.split("}}").next() else {
            continue;
        };
        let mut words = body.split_whitespace();
        let kind = words.next().unwrap_or("");
        if kind != "include" && kind != "rustdoc_include" {
            continue;
        }
        let arg = words.next().unwrap_or("");
        let mut parts = arg.splitn(2, ':');
        let path = parts.next().unwrap().to_string();
        let anchor = parts.next().map(str::to_string);
        out.push((path, anchor));
    }
    out
}

/// Markdown link and image targets: `](target)`.
fn link_targets(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in text.split("](").skip(1) {
        if let Some(end) = piece.find(')') {
            let target = piece[..end].split_whitespace().next().unwrap_or("");
            out.push(target.to_string());
        }
    }
    out
}

/// mdBook's heading ids: lower case, spaces to dashes, other punctuation dropped.
fn heading_ids(text: &str) -> BTreeSet<String> {
    let mut in_code = false;
    let mut ids = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if in_code || !line.starts_with('#') {
            continue;
        }
        let title = line.trim_start_matches('#').trim();
        let id: String = title
            .chars()
            .filter_map(|c| match c {
                c if c.is_alphanumeric() => Some(c.to_ascii_lowercase()),
                ' ' | '-' => Some('-'),
                '_' => Some('_'),
                _ => None,
            })
            .collect();
        ids.insert(id);
    }
    ids
}

#[test]
fn every_summary_entry_exists() {
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    let mut missing = Vec::new();
    for target in link_targets(&summary) {
        if !target.is_empty() && !book_src().join(&target).is_file() {
            missing.push(target);
        }
    }
    assert!(
        missing.is_empty(),
        "SUMMARY.md lists missing pages: {missing:?}"
    );
}

#[test]
fn every_include_names_an_existing_file_and_anchor() {
    let mut problems = Vec::new();
    for (page, text) in pages() {
        for (path, anchor) in includes(&text) {
            let file = page.parent().unwrap().join(&path);
            let Ok(source) = fs::read_to_string(&file) else {
                problems.push(format!("{}: missing file {path}", page.display()));
                continue;
            };
            let Some(anchor) = anchor else { continue };
            if anchor.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                problems.push(format!(
                    "{}: {path}:{anchor} includes by line number, which drifts; use an anchor",
                    page.display()
                ));
                continue;
            }
            let opens = source.contains(&format!("ANCHOR: {anchor}\n"));
            let closes = source.contains(&format!("ANCHOR_END: {anchor}\n"));
            if !(opens && closes) {
                problems.push(format!("{}: {path} has no anchor {anchor}", page.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_internal_link_and_image_resolves() {
    let mut problems = Vec::new();
    for (page, text) in pages() {
        for target in link_targets(&text) {
            if target.is_empty() || target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, fragment) = match target.split_once('#') {
                Some((p, f)) => (p, Some(f)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() {
                page.clone()
            } else {
                page.parent().unwrap().join(path)
            };
            if !file.is_file() {
                problems.push(format!("{}: broken link {target}", page.display()));
                continue;
            }
            if let Some(fragment) = fragment.filter(|_| file.extension().is_some_and(|e| e == "md"))
            {
                let ids = heading_ids(&fs::read_to_string(&file).unwrap());
                if !ids.contains(fragment) {
                    problems.push(format!(
                        "{}: no heading #{fragment} in {path}",
                        page.display()
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The kinds of file this repository holds. A backticked path with another extension, such as
/// libuv's `src/unix/core.c`, names someone else's file and is not checked.
const OUR_EXTENSIONS: &[&str] = &[
    "rs", "sh", "md", "toml", "svg", "txt", "js", "expected", "stderr", "yml",
];

/// A page that says "see `chapters/ch03-select.rs`" must name a file that exists.
#[test]
fn every_repository_path_named_in_backticks_exists() {
    let prefixes = [
        "src/",
        "chapters/",
        "exercises/",
        "solutions/",
        "tests/",
        "benches/",
        "book/",
    ];
    let mut problems = Vec::new();
    for (page, text) in pages() {
        for (i, piece) in text.split('`').enumerate() {
            let looks_like_path = i % 2 == 1
                && !piece.contains(' ')
                && prefixes.iter().any(|p| piece.starts_with(p))
                && piece
                    .rsplit_once('.')
                    .is_some_and(|(_, ext)| OUR_EXTENSIONS.contains(&ext));
            if looks_like_path && !repo_root().join(piece).exists() {
                problems.push(format!("{}: names missing file `{piece}`", page.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Each written chapter page links its cheatsheet and names its program and exercise file.
#[test]
fn every_chapter_page_links_its_cheatsheet_program_and_exercises() {
    let mut problems = Vec::new();
    for (page, text) in pages() {
        let name = page.file_stem().unwrap().to_string_lossy().to_string();
        let is_chapter = name.len() > 5
            && name.starts_with("ch")
            && name[2..4].chars().all(|c| c.is_ascii_digit())
            && !name.ends_with("-cheatsheet");
        let cheatsheet = book_src().join(format!("{name}-cheatsheet.md"));
        if !is_chapter || !cheatsheet.exists() {
            continue; // a chapter still to be written has no cheatsheet yet
        }
        let program = format!("chapters/{name}.rs");
        let module = format!("exercises/src/{}.rs", name.replacen('-', "_", 1));
        for needed in [
            format!("({name}-cheatsheet.md)"),
            format!("`{program}`"),
            format!("`{module}`"),
        ] {
            if !text.contains(&needed) {
                problems.push(format!("{}: does not contain {needed}", page.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Appendix B gathers every chapter's cheatsheet; a new cheatsheet must be added there too.
#[test]
fn appendix_b_includes_every_cheatsheet() {
    let appendix = fs::read_to_string(book_src().join("appendix-cheatsheets.md")).unwrap();
    let included: BTreeSet<String> = includes(&appendix)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    let mut missing = Vec::new();
    for (page, _) in pages() {
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with("-cheatsheet.md") && !included.contains(&name) {
            missing.push(name);
        }
    }
    assert!(
        missing.is_empty(),
        "appendix-cheatsheets.md does not include {missing:?}"
    );
}

/// Reader-facing text names only what is in the repository or public: not the team's house style,
/// its planning documents, its issue tracker or its people.
#[test]
fn pages_name_nothing_a_reader_does_not_have() {
    let private = ["STYLE", "../shared", "SYLLABUS", "the lead"];
    let mut problems = Vec::new();
    for (page, text) in pages() {
        let mut texts = vec![(page.clone(), text.clone())];
        for (path, _) in includes(&text) {
            let file = page.parent().unwrap().join(&path);
            if let Ok(included) = fs::read_to_string(&file) {
                texts.push((file, included));
            }
        }
        for (file, text) in texts {
            for (n, line) in text.lines().enumerate() {
                let issue = line
                    .match_indices("issue ")
                    .any(|(i, m)| line[i + m.len()..].starts_with(|c: char| c.is_ascii_digit()));
                if issue || private.iter().any(|p| line.contains(p)) {
                    problems.push(format!("{}:{}: {line}", file.display(), n + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Words that start a shell command when they start a piece of inline code.
const COMMANDS: &[&str] = &[
    "cargo",
    "bash",
    "node",
    "gcc",
    "python3",
    "nc",
    "mdbook",
    "strace",
    "wrk",
    "hyperfine",
];

/// The shell commands a page shows a reader: the lines of its `sh`/`console` blocks, the lines
/// of its other blocks that start with `$ ` or a command, the `$ ` lines of the output files
/// those include, and inline code that starts with a command (`cargo ...`, `node ...`).
fn shown_commands(page: &Path, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(lang) = trimmed.strip_prefix("```") {
            fence = if fence.is_some() {
                None
            } else {
                Some(lang.to_string())
            };
            continue;
        }
        match fence.as_deref() {
            Some("sh" | "bash" | "console" | "shell") => {
                let command = trimmed.strip_prefix("$ ").unwrap_or(trimmed);
                if !command.is_empty() && !command.starts_with('#') {
                    out.push(command.to_string());
                }
            }
            Some(_) => {
                let first = trimmed.split_whitespace().next().unwrap_or("");
                if let Some(command) = trimmed.strip_prefix("$ ") {
                    out.push(command.to_string());
                } else if COMMANDS.contains(&first) {
                    out.push(trimmed.to_string());
                }
                for (path, _) in includes(line) {
                    let included = page.parent().unwrap().join(&path);
                    if path.ends_with(".txt")
                        && let Ok(output) = fs::read_to_string(included)
                    {
                        let dollar = output.lines().filter_map(|l| l.strip_prefix("$ "));
                        out.extend(dollar.map(str::to_string));
                    }
                }
            }
            None => {
                for (i, piece) in line.split('`').enumerate() {
                    let first = piece.split_whitespace().next().unwrap_or("");
                    if i % 2 == 1 && COMMANDS.contains(&first) && piece.contains(' ') {
                        out.push(piece.to_string());
                    }
                }
            }
        }
    }
    out
}

/// What the workspace's `Cargo.toml` files declare: (packages, bins, benches).
fn workspace_names() -> (BTreeSet<String>, BTreeSet<String>, BTreeSet<String>) {
    let (mut packages, mut bins, mut benches) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
    let mut dirs = vec![repo_root()];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if path.is_dir() && !["target", ".git", "book", "node_modules"].contains(&&*name) {
                dirs.push(path);
            } else if name == "Cargo.toml" {
                let mut section = String::new();
                for line in fs::read_to_string(&path).unwrap().lines() {
                    if line.starts_with('[') {
                        section = line.trim().to_string();
                    } else if let Some(value) = line.strip_prefix("name = ") {
                        let value = value.trim().trim_matches('"').to_string();
                        match section.as_str() {
                            "[package]" => {
                                packages.insert(value.clone());
                                bins.insert(value); // src/main.rs, if any
                            }
                            "[[bin]]" => {
                                bins.insert(value);
                            }
                            "[[bench]]" => {
                                benches.insert(value);
                            }
                            _ => {}
                        }
                    }
                }
            }
        }
    }
    (packages, bins, benches)
}

/// A shell command without its comment and quoted strings (which hold sed scripts, messages:
/// nothing to check), cut into its simple commands at `&&`, `||`, `|` and `;`.
fn simple_commands(command: &str) -> Vec<Vec<String>> {
    let mut unquoted = String::new();
    let mut quote = None;
    for c in command.chars() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => {
                quote = None;
                unquoted.push_str("QUOTED");
            }
            (None, '#') if unquoted.is_empty() || unquoted.ends_with(' ') => break,
            (None, c) => unquoted.push(c),
            (Some(_), _) => {}
        }
    }
    unquoted
        .replace("&&", ";")
        .replace("||", ";")
        .replace('|', ";")
        .split(';')
        .map(|part| {
            part.split_whitespace()
                .map(str::to_string)
                .collect::<Vec<_>>()
        })
        .filter(|words| !words.is_empty())
        .collect()
}

/// A command shown on a page works when pasted at the repository root: it does not run one of
/// our programs by its bare name (not on `PATH`), every file it names exists there, and every
/// package, program, benchmark and test target a `cargo` command names is declared. Placeholders
/// (`chNN`, `$N`) are not checked.
#[test]
fn every_command_shown_works_from_the_repository_root() {
    let (packages, bins, benches) = workspace_names();
    let test_target = |name: &str| {
        let mut dirs = vec![repo_root()];
        while let Some(dir) = dirs.pop() {
            if dir.join("tests").join(format!("{name}.rs")).is_file() {
                return true;
            }
            for entry in fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                let skip = ["target", ".git", "book", "tests", "src"]
                    .iter()
                    .any(|s| path.ends_with(s));
                if path.is_dir() && !skip {
                    dirs.push(path);
                }
            }
        }
        false
    };
    let placeholder = |w: &str| w.contains("NN") || w.contains(['$', '*', '<', '[']);
    let mut problems = Vec::new();
    let mut readme = (repo_root().join("README.md"), String::new());
    readme.1 = fs::read_to_string(&readme.0).unwrap();
    for (page, text) in pages().into_iter().chain([readme]) {
        for command in shown_commands(&page, &text) {
            for words in simple_commands(&command) {
                let cargo = words[0] == "cargo";
                if bins.contains(&words[0]) {
                    problems.push(format!(
                        "{}: `{command}`: {} is not on PATH; show `cargo run --bin {} -- ...`",
                        page.display(),
                        words[0],
                        words[0]
                    ));
                }
                for (i, word) in words.iter().enumerate() {
                    if placeholder(word) {
                        continue;
                    }
                    let flag = if i > 0 { words[i - 1].as_str() } else { "" };
                    let declared = match flag {
                        "-p" | "--package" if cargo => Some(packages.contains(word)),
                        "--bin" if cargo => Some(bins.contains(word)),
                        "--bench" if cargo => Some(benches.contains(word)),
                        "--test" if cargo => Some(test_target(word)),
                        _ => None,
                    };
                    if declared == Some(false) {
                        problems.push(format!(
                            "{}: `{command}`: {flag} {word} is not in the workspace",
                            page.display()
                        ));
                        continue;
                    }
                    let extension = word.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
                    let path_like = (word.contains('/')
                        || ["js", "c", "rs", "sh", "py", "svg", "txt", "toml"]
                            .contains(&extension))
                        && !word.starts_with(['-', '/', '~'])
                        && !word.starts_with("target/")
                        && !word.contains("://")
                        && !word.contains('=')
                        && !word.contains("127.0.0.1");
                    if path_like && !repo_root().join(word).exists() {
                        problems.push(format!(
                            "{}: `{command}`: no {word} at the repository root",
                            page.display()
                        ));
                    }
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn commands_are_cut_at_operators_and_lose_quotes_and_comments() {
    assert_eq!(
        simple_commands(r#"gcc -o /tmp/x a.c && /tmp/x | sed "s/a b/c/" # a comment"#),
        vec![
            vec!["gcc", "-o", "/tmp/x", "a.c"],
            vec!["/tmp/x"],
            vec!["sed", "QUOTED"]
        ]
    );
}

/// One numbering in the sidebar: mdBook's own labels are off (`no-section-label`), and every
/// chapter and appendix in `SUMMARY.md` carries its number or letter in its title (`5. Timers`,
/// `A. From callbacks to futures`), so neither "1. 1. A loop" nor an unnumbered chapter appears.
#[test]
fn the_sidebar_numbers_each_chapter_once() {
    let config = fs::read_to_string(repo_root().join("book/book.toml")).unwrap();
    assert!(
        config
            .lines()
            .any(|l| l.trim() == "no-section-label = true"),
        "book/book.toml must set no-section-label = true: the titles carry the numbers"
    );
    let summary = fs::read_to_string(book_src().join("SUMMARY.md")).unwrap();
    let mut problems = Vec::new();
    for line in summary.lines().filter(|l| l.starts_with("- [")) {
        let title = &line[3..line.find("](").unwrap_or(line.len())];
        let (label, rest) = title.split_once(". ").unwrap_or(("", title));
        let numbered = !label.is_empty() && label.chars().all(|c| c.is_ascii_digit());
        let lettered = label.len() == 1 && label.chars().all(|c| c.is_ascii_uppercase());
        if !(numbered || lettered) || rest.is_empty() {
            problems.push(format!(
                "SUMMARY.md: `{title}` does not start with `N. ` or `X. `"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
