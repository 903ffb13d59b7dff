//! `cargo run -p eventloops-benches --bin plot-ch10`: draws chapter 10's answer to "why and when
//! is async faster": chapter 1's thread-per-connection server against the event-loop server, at
//! 10, 1,000 and 10,000 connections: throughput, server CPU per request, and memory.
//!
//! Reads `book/src/output/ch10-threads.csv` (written by `bash book/scripts/ch10-server.sh
//! threads`: `server,connections,rps,cpu_us,rss_kib,threads`) and writes
//! `book/src/images/ch10-threads-vs-loop.svg`. Both paths can be given as arguments:
//! `plot-ch10 [CSV] [SVG]`. The SVG is written by hand: two small charts need no plotting crate.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::fs;
use std::path::PathBuf;
use std::process::ExitCode;

/// One measurement: connections, requests per second, server CPU per request, resident memory.
#[derive(Debug, Clone, Copy)]
struct Point {
    connections: f64,
    rps: f64,
    cpu_us: f64,
    rss_kib: f64,
}

/// The two series, colours chosen to read on white and in print.
const COLOURS: [&str; 2] = ["#d62728", "#1f77b4"];

const WIDTH: f64 = 820.0;
const HEIGHT: f64 = 340.0;

fn read_csv(text: &str) -> Result<BTreeMap<String, Vec<Point>>, String> {
    let mut series: BTreeMap<String, Vec<Point>> = BTreeMap::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [name, connections, rps, cpu_us, rss, _threads] = fields[..] else {
            return Err(format!("line {}: expected 6 fields: {line:?}", i + 1));
        };
        let number = |s: &str| -> Result<f64, String> {
            s.trim()
                .parse()
                .map_err(|_| format!("line {}: not a number: {s:?}", i + 1))
        };
        series.entry(name.to_string()).or_default().push(Point {
            connections: number(connections)?,
            rps: number(rps)?,
            cpu_us: number(cpu_us)?,
            rss_kib: number(rss)?,
        });
    }
    if series.is_empty() {
        return Err("no measurements in the file".into());
    }
    Ok(series)
}

/// One chart: x is the number of connections on a log scale, y from 0 to the largest value.
struct Chart {
    left: f64,
    top: f64,
    width: f64,
    height: f64,
    x_min: f64,
    x_max: f64,
    y_max: f64,
}

impl Chart {
    fn x(&self, connections: f64) -> f64 {
        let t =
            (connections.log10() - self.x_min.log10()) / (self.x_max.log10() - self.x_min.log10());
        self.left + t * self.width
    }

    fn y(&self, value: f64) -> f64 {
        self.top + self.height - value / self.y_max * self.height
    }
}

/// The top of an axis with four gridlines: four times a round step (1, 2 or 5 times a power of
/// ten), at least `value`.
fn nice_max(value: f64) -> f64 {
    let quarter = value / 4.0;
    let magnitude = 10f64.powf(quarter.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= quarter)
        .unwrap_or(10.0 * magnitude);
    4.0 * step
}

fn human(value: f64) -> String {
    if value >= 1e6 {
        format!("{:.1}M", value / 1e6)
    } else if value >= 1e3 {
        format!("{:.0}k", value / 1e3)
    } else {
        format!("{value:.0}")
    }
}

fn draw_chart(
    svg: &mut String,
    chart: &Chart,
    title: &str,
    series: &BTreeMap<String, Vec<Point>>,
    value: impl Fn(&Point) -> f64,
    label: impl Fn(f64) -> String,
) {
    let (l, t, w, h) = (chart.left, chart.top, chart.width, chart.height);
    let _ = writeln!(
        svg,
        r#"<text x="{:.0}" y="{:.0}" font-size="14" font-weight="bold" text-anchor="middle">{title}</text>"#,
        l + w / 2.0,
        t - 14.0
    );
    for i in 0..=4 {
        let v = chart.y_max * f64::from(i) / 4.0;
        let y = chart.y(v);
        let _ = writeln!(
            svg,
            r##"<line x1="{l:.0}" y1="{y:.1}" x2="{:.0}" y2="{y:.1}" stroke="#dddddd"/><text x="{:.0}" y="{:.1}" font-size="11" text-anchor="end">{}</text>"##,
            l + w,
            l - 6.0,
            y + 4.0,
            label(v)
        );
    }
    for n in [10.0, 100.0, 1000.0, 10000.0] {
        let x = chart.x(n);
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{:.0}" x2="{x:.1}" y2="{:.0}" stroke="#333333"/><text x="{x:.1}" y="{:.0}" font-size="11" text-anchor="middle">{}</text>"##,
            t + h,
            t + h + 4.0,
            t + h + 17.0,
            human(n)
        );
    }
    let _ = writeln!(
        svg,
        r##"<line x1="{l:.0}" y1="{:.0}" x2="{:.0}" y2="{:.0}" stroke="#333333"/><text x="{:.0}" y="{:.0}" font-size="12" text-anchor="middle">connections (log scale)</text>"##,
        t + h,
        l + w,
        t + h,
        l + w / 2.0,
        t + h + 34.0
    );
    for (i, (points, colour)) in series.values().zip(COLOURS).enumerate() {
        let path: Vec<String> = points
            .iter()
            .map(|p| format!("{:.1},{:.1}", chart.x(p.connections), chart.y(value(p))))
            .collect();
        let _ = writeln!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{colour}" stroke-width="2.5"/>"#,
            path.join(" ")
        );
        for p in points {
            let (x, y) = (chart.x(p.connections), chart.y(value(p)));
            // Label the higher of two points at the same x above it, the lower one below, so
            // that the labels of points close together do not overlap.
            let higher = series.values().enumerate().all(|(j, other)| {
                j == i
                    || other
                        .iter()
                        .filter(|o| o.connections == p.connections)
                        .all(|o| value(p) > value(o) || (value(p) == value(o) && i < j))
            });
            // A label below a point near the axis would sit on the tick labels: put it to the
            // right of the point instead.
            let (dx, dy, anchor) = if higher {
                (0.0, -8.0, "middle")
            } else if y + 17.0 > chart.top + chart.height - 4.0 {
                (8.0, -6.0, "start")
            } else {
                (0.0, 17.0, "middle")
            };
            let _ = writeln!(
                svg,
                r##"<circle cx="{x:.1}" cy="{y:.1}" r="4" fill="{colour}"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#111111" text-anchor="{anchor}">{}</text>"##,
                x + dx,
                y + dy,
                label(value(p))
            );
        }
    }
}

fn render(series: &BTreeMap<String, Vec<Point>>) -> String {
    let all: Vec<&Point> = series.values().flatten().collect();
    let x_min = all
        .iter()
        .map(|p| p.connections)
        .fold(f64::MAX, f64::min)
        .min(10.0);
    let x_max = all
        .iter()
        .map(|p| p.connections)
        .fold(0.0, f64::max)
        .max(10000.0);
    let rps_max = nice_max(all.iter().map(|p| p.rps).fold(1.0, f64::max) * 1.1);
    let cpu_max = nice_max(all.iter().map(|p| p.cpu_us).fold(0.1, f64::max) * 1.1);
    let mib_max = nice_max(all.iter().map(|p| p.rss_kib / 1024.0).fold(1.0, f64::max) * 1.1);
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" fill="#111111">"##
    );
    let _ = writeln!(
        svg,
        r##"<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>"##
    );
    let chart = |left: f64, y_max: f64| Chart {
        left,
        top: 50.0,
        width: 190.0,
        height: 200.0,
        x_min: x_min * 0.7,
        x_max: x_max * 1.4,
        y_max,
    };
    draw_chart(
        &mut svg,
        &chart(60.0, rps_max),
        "requests per second",
        series,
        |p| p.rps,
        human,
    );
    draw_chart(
        &mut svg,
        &chart(330.0, cpu_max),
        "server CPU per request (µs)",
        series,
        |p| p.cpu_us,
        |v| format!("{v:.1}"),
    );
    draw_chart(
        &mut svg,
        &chart(600.0, mib_max),
        "server memory (RSS, MiB)",
        series,
        |p| p.rss_kib / 1024.0,
        |v| format!("{v:.0}"),
    );
    for (i, (name, colour)) in series.keys().zip(COLOURS).enumerate() {
        let x = 80.0 + i as f64 * 330.0;
        let y = HEIGHT - 22.0;
        let _ = writeln!(
            svg,
            r#"<rect x="{x:.0}" y="{:.0}" width="22" height="5" fill="{colour}"/><text x="{:.0}" y="{y:.0}" font-size="12">{name}</text>"#,
            y - 6.0,
            x + 30.0
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn main() -> ExitCode {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut args = std::env::args().skip(1);
    let csv = args.next().map_or_else(
        || root.join("book/src/output/ch10-threads.csv"),
        PathBuf::from,
    );
    let out = args.next().map_or_else(
        || root.join("book/src/images/ch10-threads-vs-loop.svg"),
        PathBuf::from,
    );
    let result = fs::read_to_string(&csv)
        .map_err(|e| {
            format!(
                "{}: {e} (run `bash book/scripts/ch10-server.sh threads`)",
                csv.display()
            )
        })
        .and_then(|text| read_csv(&text))
        .and_then(|series| {
            fs::write(&out, render(&series)).map_err(|e| format!("{}: {e}", out.display()))
        });
    match result {
        Ok(()) => {
            eprintln!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("plot-ch10: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_csv_and_draws_both_series() {
        let csv = "server,connections,rps,cpu_us,rss_kib,threads\n\
                   threads,10,50000,9.5,3000,11\nthreads,10000,20000,30.1,90000,10001\n\
                   loop,10,90000,6.2,2500,2\nloop,10000,80000,7.0,9000,2\n";
        let series = read_csv(csv).unwrap();
        assert_eq!(series.len(), 2);
        let svg = render(&series);
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<polyline").count(), 6);
        assert!(svg.contains(r##"fill="#ffffff""##));
    }

    #[test]
    fn a_bad_line_is_an_error_not_a_panic() {
        assert!(read_csv("h\nthreads,10,fast,1,1,1\n").is_err());
        assert!(read_csv("h\nthreads,10\n").is_err());
        assert!(read_csv("h\n").is_err());
    }
}
