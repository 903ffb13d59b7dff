//! `cargo run -p eventloops-benches --bin plot-pollers`: draws the book's plot of the cost of one
//! wait against the number of idle fds, from criterion's results.
//!
//! Reads `target/criterion/wait/<backend>/<N>/new/estimates.json` (written by
//! `cargo bench -p eventloops-benches --bench pollers`) and writes
//! `book/src/images/ch06-wait-cost.svg`, plus a table on stdout. Both paths can be given as
//! arguments: `plot-pollers [CRITERION_DIR] [SVG]`. The SVG is written by hand: a few lines and
//! labels need no plotting crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Backends in the order the legend lists them, with their colours.
const BACKENDS: [(&str, &str); 4] = [
    ("select", "#d62728"),
    ("poll", "#ff7f0e"),
    ("epoll", "#1f77b4"),
    ("kqueue", "#2ca02c"),
];

/// The median time of one wait, in nanoseconds, by backend and N.
type Results = BTreeMap<String, BTreeMap<usize, f64>>;

fn read_results(dir: &Path) -> Result<Results, String> {
    let mut results = Results::new();
    let backends = fs::read_dir(dir)
        .map_err(|e| format!("{}: {e} (run the benchmark first)", dir.display()))?;
    for backend in backends.flatten() {
        let name = backend.file_name().to_string_lossy().to_string();
        let Ok(sizes) = fs::read_dir(backend.path()) else {
            continue; // criterion's `report` directory and the like
        };
        for size in sizes.flatten() {
            let Ok(n) = size.file_name().to_string_lossy().parse::<usize>() else {
                continue;
            };
            let file = size.path().join("new/estimates.json");
            let Ok(text) = fs::read_to_string(&file) else {
                continue;
            };
            let json: serde_json::Value =
                serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
            let median = json["median"]["point_estimate"]
                .as_f64()
                .ok_or_else(|| format!("{}: no median.point_estimate", file.display()))?;
            results.entry(name.clone()).or_default().insert(n, median);
        }
    }
    if results.is_empty() {
        return Err(format!("no results under {}", dir.display()));
    }
    Ok(results)
}

/// A plain SVG line chart: N across (linear), microseconds up (linear), one line per backend.
fn svg(results: &Results) -> String {
    let (w, h) = (640.0, 400.0);
    let (left, right, top, bottom) = (70.0, 130.0, 40.0, 60.0);
    let (pw, ph) = (w - left - right, h - top - bottom);
    let max_n = results
        .values()
        .flat_map(|r| r.keys())
        .copied()
        .max()
        .unwrap_or(1) as f64;
    let max_us = results
        .values()
        .flat_map(|r| r.values())
        .fold(0.0f64, |m, &ns| m.max(ns / 1000.0));
    let y_top = nice_ceiling(max_us);
    let x = |n: f64| left + pw * n / max_n;
    let y = |us: f64| top + ph * (1.0 - us / y_top);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="sans-serif" font-size="13">"#
    );
    let _ = writeln!(s, r#"<rect width="{w}" height="{h}" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15">Cost of one wait: N idle fds + 1 ready fd</text>"#,
        left + pw / 2.0
    );
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let _ = writeln!(
        s,
        r##"<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#555">{cores} cores, {}; criterion median</text>"##,
        w - 10.0,
        h - 15.0,
        std::env::consts::OS
    );
    for i in 0..=5 {
        let us = y_top * i as f64 / 5.0;
        let _ = writeln!(
            s,
            r##"<line x1="{left}" y1="{yy:.1}" x2="{x2}" y2="{yy:.1}" stroke="#ddd"/><text x="{tx}" y="{ty:.1}" text-anchor="end">{us}</text>"##,
            yy = y(us),
            x2 = left + pw,
            tx = left - 8.0,
            ty = y(us) + 4.0,
            us = trim(us)
        );
    }
    for n in [0usize, 200, 400, 600, 800, 1000] {
        if n as f64 > max_n {
            continue;
        }
        let _ = writeln!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{n}</text>"#,
            x(n as f64),
            top + ph + 20.0
        );
    }
    let _ = writeln!(
        s,
        r#"<line x1="{left}" y1="{top}" x2="{left}" y2="{b}" stroke="black"/><line x1="{left}" y1="{b}" x2="{r}" y2="{b}" stroke="black"/>"#,
        b = top + ph,
        r = left + pw
    );
    let _ = writeln!(
        s,
        r#"<text x="{}" y="{}" text-anchor="middle">N (idle fds watched)</text>"#,
        left + pw / 2.0,
        h - 15.0
    );
    let _ = writeln!(
        s,
        r#"<text transform="translate(18 {}) rotate(-90)" text-anchor="middle">µs per wait (median)</text>"#,
        top + ph / 2.0
    );
    let mut legend_y = top + 10.0;
    for (name, colour) in BACKENDS {
        let Some(points) = results.get(name) else {
            continue;
        };
        let path: Vec<String> = points
            .iter()
            .map(|(&n, &ns)| format!("{:.1},{:.1}", x(n as f64), y(ns / 1000.0)))
            .collect();
        let _ = writeln!(
            s,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2"/>"#,
            path.join(" ")
        );
        for p in &path {
            let (cx, cy) = p.split_once(',').unwrap();
            let _ = writeln!(s, r#"<circle cx="{cx}" cy="{cy}" r="3" fill="{colour}"/>"#);
        }
        let lx = left + pw + 15.0;
        let _ = writeln!(
            s,
            r#"<line x1="{lx}" y1="{legend_y}" x2="{}" y2="{legend_y}" stroke="{colour}" stroke-width="3"/><text x="{}" y="{}">{name}</text>"#,
            lx + 25.0,
            lx + 32.0,
            legend_y + 4.0
        );
        legend_y += 22.0;
    }
    s.push_str("</svg>\n");
    s
}

/// The smallest round number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) that is
/// at least `v`.
fn nice_ceiling(v: f64) -> f64 {
    let v = v.max(1e-3);
    let p = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&c| c >= v)
        .unwrap_or(10.0 * p)
}

fn trim(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/criterion/wait"));
    let out = args
        .next()
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("book/src/images/ch06-wait-cost.svg"));
    let results = match read_results(&dir) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("plot-pollers: {e}");
            return ExitCode::FAILURE;
        }
    };
    println!("{:<8} {:>8} {:>14}", "backend", "N", "ns per wait");
    for (name, _) in BACKENDS {
        for (n, ns) in results.get(name).into_iter().flatten() {
            println!("{name:<8} {n:>8} {ns:>14.0}");
        }
    }
    if let Err(e) = fs::write(&out, svg(&results)) {
        eprintln!("plot-pollers: {}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    println!("wrote {}", out.display());
    ExitCode::SUCCESS
}
