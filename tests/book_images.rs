//! The book's diagrams read in every mdBook theme. Three of the five themes (coal, navy, ayu) are
//! dark, and an SVG without a background shows its dark text straight on the dark page. So every
//! SVG in `book/src/images/` must:
//!
//! - paint an opaque light background first: its first drawn element is a rect covering the whole
//!   drawing (`width="100%" height="100%"`, or the SVG's own width and height) with a light fill;
//! - use no font smaller than 11 px at its natural size.

use std::fs;
use std::path::{Path, PathBuf};

fn images() -> Vec<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("book/src/images");
    let mut out: Vec<(PathBuf, String)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            let text = fs::read_to_string(&p).unwrap();
            (p, text)
        })
        .collect();
    out.sort();
    out
}

/// The value of attribute `name` in the tag `tag` (`<rect ... />`), if present.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let needle = format!(" {name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// The first element that paints something: what follows `<svg ...>`, skipping comments and the
/// elements that draw nothing by themselves.
fn first_drawn_element(svg: &str) -> Option<&str> {
    let mut rest = &svg[svg.find("<svg")?..];
    rest = &rest[rest.find('>')? + 1..];
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = &after[after.find("-->")? + 3..];
            continue;
        }
        let skipped = ["title", "desc", "defs", "metadata", "style"]
            .into_iter()
            .find(|name| {
                rest.starts_with(&format!("<{name}>")) || rest.starts_with(&format!("<{name} "))
            });
        match skipped {
            Some(name) => {
                let close = format!("</{name}>");
                rest = &rest[rest.find(&close)? + close.len()..];
            }
            None => return Some(&rest[..=rest.find('>')?]),
        }
    }
}

/// Relative luminance of a fill in 0..=1, for `white`, `#rgb` and `#rrggbb`.
fn luminance(fill: &str) -> Option<f64> {
    let hex = match fill {
        "white" => "ffffff".to_string(),
        f if f.len() == 4 && f.starts_with('#') => f[1..].chars().flat_map(|c| [c, c]).collect(),
        f if f.len() == 7 && f.starts_with('#') => f[1..].to_string(),
        _ => return None,
    };
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok().map(f64::from);
    let (r, g, b) = (channel(0)?, channel(2)?, channel(4)?);
    Some((0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0)
}

fn background_problem(svg: &str) -> Option<String> {
    let root = &svg[svg.find("<svg")?..];
    let root = &root[..root.find('>')?];
    let Some(first) = first_drawn_element(svg) else {
        return Some("cannot find its first element".into());
    };
    if !first.starts_with("<rect") {
        return Some(format!(
            "its first drawn element is not a background rect: {first}"
        ));
    }
    let covers = |name: &str| {
        let value = attribute(first, name);
        value == Some("100%") || (value.is_some() && value == attribute(root, name))
    };
    let at_origin = ["x", "y"]
        .iter()
        .all(|a| attribute(first, a).is_none_or(|v| v == "0"));
    if !(covers("width") && covers("height") && at_origin) {
        return Some(format!(
            "its first rect does not cover the drawing: {first}"
        ));
    }
    let fill = attribute(first, "fill").unwrap_or("black");
    match luminance(fill) {
        Some(l) if l >= 0.85 => None,
        Some(_) => Some(format!("its background {fill} is not light")),
        None => Some(format!(
            "its background fill {fill:?} is not white, #rgb or #rrggbb"
        )),
    }
}

#[test]
fn every_svg_has_a_light_background() {
    let mut problems = Vec::new();
    for (path, svg) in images() {
        if let Some(problem) = background_problem(&svg) {
            problems.push(format!("{}: {problem}", path.display()));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_svg_uses_fonts_of_11px_or_more() {
    let mut problems = Vec::new();
    for (path, svg) in images() {
        for piece in svg.split("font-size").skip(1) {
            let value: String = piece
                .trim_start_matches(['=', '"', ':', ' '])
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            if value.parse::<f64>().is_ok_and(|px| px < 11.0) {
                problems.push(format!("{}: font-size {value}", path.display()));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_background_check_sees_a_missing_background() {
    let bare = r#"<svg width="10" height="10"><title>t</title><text>hi</text></svg>"#;
    assert!(background_problem(bare).is_some());
    let dark =
        r##"<svg width="10" height="10"><rect width="100%" height="100%" fill="#222"/></svg>"##;
    assert!(background_problem(dark).is_some());
    let small = r##"<svg width="10" height="10"><rect width="5" height="10" fill="#fff"/></svg>"##;
    assert!(background_problem(small).is_some());
    let good = r##"<svg width="10" height="10"><!-- c --><defs><x/></defs><rect width="10" height="10" fill="#fafafa"/></svg>"##;
    assert_eq!(background_problem(good), None);
}
