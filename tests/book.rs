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
