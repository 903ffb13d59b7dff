//! The book as a reader gets it: built with mdBook into a scratch directory, and each page's HTML
//! checked against its Markdown. `tests/book.rs` reads the Markdown alone and cannot see what
//! mdBook makes of it; a code fence indented inside a list item, for one, ends the list early and
//! swallows the rest of the page into a code block while every link and anchor still resolves.
//! So, for every page listed in `SUMMARY.md`:
//!
//! - every heading of the page's Markdown is a heading of the same level and text in its HTML
//!   (a swallowed heading is also missing from the page's table of contents);
//! - no `{{#` is left in the HTML (an include or other directive mdBook did not expand);
//! - no line of a code block starts with a Markdown fence (```), the sign of a fence that ended
//!   up as text.
//!
//! mdBook is not a Rust dependency: a reader's clone may not have it. Without it this test says so
//! loudly and passes, unless `EVENTLOOPS_REQUIRE_MDBOOK=1` is set, as `.ci/run` sets it: CI must
//! not skip. Set `MDBOOK` to use an mdbook that is not on `PATH`.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The mdbook to run: `$MDBOOK`, else `mdbook` on `PATH`, else cargo's install directory.
fn find_mdbook() -> Option<PathBuf> {
    let works = |p: &Path| {
        Command::new(p)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    let mut candidates = Vec::new();
    if let Some(explicit) = std::env::var_os("MDBOOK") {
        candidates.push(PathBuf::from(explicit));
    }
    candidates.push(PathBuf::from("mdbook"));
    if let Some(cargo_home) = std::env::var_os("CARGO_HOME") {
        candidates.push(Path::new(&cargo_home).join("bin/mdbook"));
    }
    if let Some(home) = std::env::var_os("HOME") {
        candidates.push(Path::new(&home).join(".cargo/bin/mdbook"));
    }
    candidates.into_iter().find(|p| works(p))
}

/// The pages `SUMMARY.md` links, as paths relative to `book/src`.
fn summary_pages() -> Vec<String> {
    let summary = fs::read_to_string(repo_root().join("book/src/SUMMARY.md")).unwrap();
    let mut pages = Vec::new();
    for piece in summary.split("](").skip(1) {
        if let Some(end) = piece.find(')') {
            let target = piece[..end].trim();
            if target.ends_with(".md") {
                pages.push(target.to_string());
            }
        }
    }
    pages
}

/// The headings of a page's own Markdown (not of the files it includes), outside code blocks:
/// (level, text as a reader sees it).
fn markdown_headings(markdown: &str) -> Vec<(usize, String)> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        let level = line.chars().take_while(|&c| c == '#').count();
        if in_code || level == 0 || level > 6 || !line[level..].starts_with(' ') {
            continue;
        }
        out.push((level, plain_markdown(line[level..].trim())));
    }
    out
}

/// Inline Markdown reduced to its text: `[text](url)` to `text`, no backticks or asterisks.
fn plain_markdown(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let Some(mid) = rest[open..].find("](").map(|m| open + m) else {
            break;
        };
        let Some(close) = rest[mid..].find(')').map(|c| mid + c) else {
            break;
        };
        out.push_str(&rest[..open]);
        out.push_str(&rest[open + 1..mid]);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    squash(&out.replace(['`', '*'], ""))
}

/// HTML reduced to its text: tags dropped, the entities mdBook writes decoded.
fn plain_html(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let decoded = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&");
    squash(&decoded)
}

/// Whitespace squashed, and mdBook's smart punctuation undone, so that both sides compare.
fn squash(text: &str) -> String {
    let straight = text
        .replace(['\u{2018}', '\u{2019}'], "'")
        .replace(['\u{201c}', '\u{201d}'], "\"")
        .replace('\u{2026}', "...")
        .replace('\u{2014}', "---")
        .replace('\u{2013}', "--");
    straight.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The headings of a rendered page: (level, text).
fn html_headings(html: &str) -> BTreeSet<(usize, String)> {
    let mut out = BTreeSet::new();
    for level in 1..=6 {
        let open = format!("<h{level}");
        let close = format!("</h{level}>");
        for piece in html.split(&open).skip(1) {
            let Some(start) = piece.find('>') else {
                continue;
            };
            if let Some(end) = piece.find(&close) {
                out.insert((level, plain_html(&piece[start + 1..end])));
            }
        }
    }
    out
}

/// The text of every `<pre><code>` block of a rendered page, still HTML-escaped.
fn code_blocks(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for piece in html.split("<pre>").skip(1) {
        if let Some(end) = piece.find("</pre>") {
            out.push(&piece[..end]);
        }
    }
    out
}

/// What is wrong with one rendered page, given its Markdown.
fn page_problems(page: &str, markdown: &str, html: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let rendered = html_headings(html);
    for (level, text) in markdown_headings(markdown) {
        if !rendered.contains(&(level, text.clone())) {
            problems.push(format!(
                "{page}: the heading `{} {text}` is not an <h{level}> in the HTML \
                 (swallowed by a code block or a list?)",
                "#".repeat(level)
            ));
        }
    }
    if let Some(at) = html.find("{{#") {
        let context: String = html[at..].chars().take(60).collect();
        problems.push(format!(
            "{page}: the HTML still holds a directive: {context:?}"
        ));
    }
    for block in code_blocks(html) {
        if let Some(line) = block.lines().find(|l| plain_html(l).starts_with("```")) {
            problems.push(format!(
                "{page}: a code block shows a Markdown fence as text: {:?} \
                 (an indented fence inside a list item?)",
                plain_html(line)
            ));
        }
    }
    problems
}

#[test]
fn the_rendered_book_matches_its_markdown() {
    let Some(mdbook) = find_mdbook() else {
        if std::env::var("EVENTLOOPS_REQUIRE_MDBOOK").is_ok_and(|v| v == "1") {
            panic!(
                "EVENTLOOPS_REQUIRE_MDBOOK=1 but no mdbook was found (PATH, $MDBOOK, \
                 ~/.cargo/bin); install it as the README says"
            );
        }
        // Straight to stderr, not through eprintln!, which the test harness captures: a skip
        // must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "\n*** SKIPPED the_rendered_book_matches_its_markdown: mdbook is not installed, so \
             the rendered book was NOT checked. Install it as the README says. ***\n"
        );
        return;
    };
    let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("book-html-{}", std::process::id()));
    let _ = fs::remove_dir_all(&out);
    let built = Command::new(&mdbook)
        .arg("build")
        .arg(repo_root().join("book"))
        .arg("--dest-dir")
        .arg(&out)
        .output()
        .expect("could not run mdbook");
    assert!(
        built.status.success(),
        "mdbook build failed:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let mut problems = Vec::new();
    for page in summary_pages() {
        let markdown = fs::read_to_string(repo_root().join("book/src").join(&page)).unwrap();
        let html_path = out.join(page.replace(".md", ".html"));
        match fs::read_to_string(&html_path) {
            Ok(html) => problems.extend(page_problems(&page, &markdown, &html)),
            Err(e) => problems.push(format!("{page}: no {}: {e}", html_path.display())),
        }
    }
    let _ = fs::remove_dir_all(&out);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The checks themselves, on the shape of the page that taught us to make them.
#[test]
fn a_fence_indented_in_a_list_is_caught() {
    let markdown = "## Puzzles\n\n- one\n\n  ```rust\n  x\n  ```\n\n## What we measured\n";
    let html = "<h2 id=\"puzzles\"><a class=\"header\" href=\"#puzzles\">Puzzles</a></h2>\n\
                <ul><li><p>one</p><pre><code class=\"language-rust\">x\n</code></pre></li></ul>\n\
                <pre><code>## What we measured\n```rust,ignore\n{{#include x.rs}}\n</code></pre>";
    let problems = page_problems("p.md", markdown, html);
    assert_eq!(problems.len(), 3, "{problems:#?}");
    assert!(
        problems[0].contains("`## What we measured`"),
        "{problems:#?}"
    );
    assert!(problems[1].contains("{{#include"), "{problems:#?}");
    assert!(problems[2].contains("```rust,ignore"), "{problems:#?}");
}

#[test]
fn headings_compare_as_text() {
    assert_eq!(
        markdown_headings("# A `select` [loop](x.md)\n```\n# not a heading\n```\n#nope\n"),
        vec![(1, "A select loop".to_string())]
    );
    let html = "<h1 id=\"a\"><a class=\"header\" href=\"#a\">A <code>select</code> loop &amp; more</a></h1>";
    assert!(html_headings(html).contains(&(1, "A select loop & more".to_string())));
}
