//! A trace of a run: which phase ran which callback when, and how long the loop blocked in the
//! poll phase, rendered as an SVG timeline.

use super::Loop;
use super::handle::Handle;
use crate::ch06_pollers::Poller;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// The phases of one turn, in the order [`Loop::run`] calls them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Phase {
    /// Due timers.
    Timers,
    /// Callbacks deferred to this turn.
    Pending,
    /// Idle handles.
    Idle,
    /// Prepare handles.
    Prepare,
    /// Waiting for I/O, and the I/O callbacks.
    Poll,
    /// Check handles (Node's immediates).
    Check,
    /// Close callbacks.
    Close,
}

impl Phase {
    /// Every phase, in the order of the timeline's rows (the order of one turn after the first
    /// timers phase).
    pub const ALL: [Phase; 7] = [
        Phase::Pending,
        Phase::Idle,
        Phase::Prepare,
        Phase::Poll,
        Phase::Check,
        Phase::Close,
        Phase::Timers,
    ];

    /// The phase's name, as the book spells it.
    pub fn name(self) -> &'static str {
        match self {
            Phase::Timers => "timers",
            Phase::Pending => "pending",
            Phase::Idle => "idle",
            Phase::Prepare => "prepare",
            Phase::Poll => "poll",
            Phase::Check => "check",
            Phase::Close => "closing",
        }
    }
}

/// One recorded interval, in time since the loop was created.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The phase it happened in.
    pub phase: Phase,
    /// What ran: the handle's name, its kind, or `blocked in poll` for a wait.
    pub label: String,
    /// When it began.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
    /// `true` for time spent waiting in the kernel, `false` for a callback.
    pub waiting: bool,
}

/// What a traced loop recorded.
#[derive(Debug, Clone, Default)]
pub struct Trace {
    /// Callbacks and waits, in the order they ended.
    pub spans: Vec<Span>,
}

impl<D, P: Poller> Loop<D, P> {
    /// Starts recording a trace (costs two clock reads per callback while on).
    pub fn enable_trace(&mut self) {
        self.trace = Some(Trace::default());
    }

    /// The trace recorded so far, if tracing is on.
    pub fn trace(&self) -> Option<&Trace> {
        self.trace.as_ref()
    }

    /// The time since the loop was created, as the trace counts it.
    pub fn since_start(&self, at: Instant) -> Duration {
        at.saturating_duration_since(self.epoch)
    }

    /// The clock now if tracing, so untraced loops do not pay for a clock read.
    pub(crate) fn trace_start(&self) -> Option<Instant> {
        self.trace.as_ref().map(|_| Instant::now())
    }

    /// Records a callback that began at `start` and ended now.
    pub(crate) fn trace_callback(
        &mut self,
        phase: Phase,
        handle: Option<Handle>,
        start: Option<Instant>,
    ) {
        let Some(start) = start else { return };
        let label = match handle.and_then(|h| self.slot(h)) {
            Some(slot) => slot
                .name
                .clone()
                .unwrap_or_else(|| phase.name().to_string()),
            None => match handle {
                Some(_) => format!("{} callback", phase.name()),
                None => "pending callback".to_string(),
            },
        };
        self.trace_span(phase, label, Some(start));
    }

    /// Records a callback with an explicit label that began at `start` and ended now.
    pub(crate) fn trace_span(&mut self, phase: Phase, label: String, start: Option<Instant>) {
        let Some(start) = start else { return };
        let span = Span {
            phase,
            label,
            start: self.since_start(start),
            end: self.since_start(Instant::now()),
            waiting: false,
        };
        if let Some(trace) = self.trace.as_mut() {
            trace.spans.push(span);
        }
    }

    /// Records a wait in the poll phase that began at `start` and ended at the loop time.
    pub(crate) fn trace_wait(&mut self, start: Option<Instant>, timeout: i32) {
        let Some(start) = start else { return };
        let span = Span {
            phase: Phase::Poll,
            label: format!("epoll_wait(timeout {timeout} ms)"),
            start: self.since_start(start),
            end: self.since_start(self.now),
            waiting: true,
        };
        if let Some(trace) = self.trace.as_mut() {
            trace.spans.push(span);
        }
    }
}

// ANCHOR: svg
/// The timeline's geometry, in px at the SVG's natural width. 740 px wide fits the book's text
/// column unscaled, so the 12 px labels stay 12 px on the page.
mod geometry {
    /// Width of the whole drawing.
    pub const WIDTH: f64 = 740.0;
    /// Where the time axis starts (the phase names sit left of it).
    pub const LEFT: f64 = 80.0;
    /// Where the time axis ends.
    pub const RIGHT: f64 = 710.0;
    /// Where the first row starts (below the title).
    pub const TOP: f64 = 40.0;
    /// Height of a bar, and of a row without labels under it.
    pub const BAR: f64 = 18.0;
    /// Space above and below a bar.
    pub const PAD: f64 = 7.0;
    /// Height of one line of labels under a row's bars.
    pub const LINE: f64 = 16.0;
    /// Font size of the labels and the axis.
    pub const SMALL: f64 = 12.0;
    /// A generous width of one character at `SMALL`, to keep labels from overlapping.
    pub const CHAR: f64 = 0.6 * SMALL;
}

/// Where one span's label goes: inside its own bar, or on a line under the row's bars.
struct Label {
    text: String,
    x: f64,
    anchor: &'static str,
    /// `None`: inside the bar; `Some(n)`: on the n-th line under the row.
    line: Option<usize>,
}

impl Trace {
    /// Draws the trace as an SVG timeline: one row per phase, time left to right, callbacks as
    /// solid boxes, waits in the kernel as pale boxes. A wait's label sits inside its own box
    /// when it fits; every other label goes under the row, never on another span's box.
    pub fn to_svg(&self, title: &str) -> String {
        use geometry::*;
        let end_ms = self
            .spans
            .iter()
            .map(|s| ms(s.end))
            .fold(1.0_f64, f64::max)
            .ceil();
        let x = |t: f64| LEFT + t / end_ms * (RIGHT - LEFT);
        let row_of = |phase| Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);

        // First place every label, so each row knows how many label lines it needs.
        let mut labels = Vec::new();
        let mut taken: Vec<Vec<(usize, f64, f64)>> = vec![Vec::new(); Phase::ALL.len()];
        for span in &self.spans {
            let (x0, x1) = (x(ms(span.start)), x(ms(span.end)));
            let text = format!(
                "{} ({:.1}–{:.1} ms)",
                span.label,
                ms(span.start),
                ms(span.end)
            );
            let wide = text.chars().count() as f64 * CHAR;
            if span.waiting && x1 - x0 > wide + 8.0 {
                labels.push(Label {
                    text,
                    x: x0 + 4.0,
                    anchor: "start",
                    line: None,
                });
                continue;
            }
            // Under the row: starting at the span if it fits before the axis ends, else ending
            // at it; on the first line where it overlaps no other label of the row.
            let (from, anchor, lx) = if x0 + wide <= RIGHT + 20.0 {
                (x0, "start", x0)
            } else {
                (x1 - wide, "end", x1)
            };
            let row = &mut taken[row_of(span.phase)];
            let line = (0..)
                .find(|&n| {
                    !row.iter()
                        .any(|&(m, a, b)| m == n && from < b + 8.0 && a < from + wide + 8.0)
                })
                .unwrap();
            row.push((line, from, from + wide));
            labels.push(Label {
                text,
                x: lx,
                anchor,
                line: Some(line),
            });
        }
        let lines: Vec<usize> = taken
            .iter()
            .map(|row| row.iter().map(|&(n, _, _)| n + 1).max().unwrap_or(0))
            .collect();
        let mut row_top = vec![TOP];
        for n in &lines {
            let last = *row_top.last().unwrap();
            row_top.push(last + BAR + 2.0 * PAD + LINE * *n as f64);
        }
        let axis = *row_top.last().unwrap();
        let height = axis + 44.0;

        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="13">"#
        );
        let _ = writeln!(
            svg,
            r##"<rect width="100%" height="100%" fill="#ffffff"/><text x="10" y="22" font-size="15" font-weight="bold">{}</text>"##,
            escape(title)
        );
        for (i, phase) in Phase::ALL.iter().enumerate() {
            let _ = writeln!(
                svg,
                r##"<text x="10" y="{ty}">{name}</text><line x1="{LEFT}" y1="{ly}" x2="{RIGHT}" y2="{ly}" stroke="#ddd"/>"##,
                ty = row_top[i] + PAD + BAR / 2.0 + 4.5,
                name = phase.name(),
                ly = row_top[i + 1]
            );
        }
        for (span, label) in self.spans.iter().zip(&labels) {
            let top = row_top[row_of(span.phase)] + PAD;
            let (x0, x1) = (x(ms(span.start)), x(ms(span.end)));
            let (fill, stroke) = if span.waiting {
                ("#dbeafe", "#93c5fd")
            } else {
                ("#f59e0b", "#b45309")
            };
            let _ = writeln!(
                svg,
                r#"<rect x="{x0:.1}" y="{top}" width="{w:.1}" height="{BAR}" fill="{fill}" stroke="{stroke}"><title>{text}</title></rect>"#,
                w = (x1 - x0).max(2.0),
                text = escape(&label.text)
            );
            let ty = match label.line {
                None => top + BAR / 2.0 + 4.0,
                Some(n) => top + BAR + LINE * (n as f64 + 1.0) - 3.0,
            };
            let _ = writeln!(
                svg,
                r##"<text x="{lx:.1}" y="{ty}" font-size="{SMALL}" fill="#111" text-anchor="{anchor}">{text}</text>"##,
                lx = label.x,
                anchor = label.anchor,
                text = escape(&label.text)
            );
        }
        let step = if end_ms > 50.0 { 10.0 } else { 1.0 };
        let mut t = 0.0;
        while t <= end_ms {
            let _ = writeln!(
                svg,
                r#"<text x="{tx:.1}" y="{ty}" font-size="{SMALL}" text-anchor="middle">{t}</text>"#,
                tx = x(t),
                ty = axis + 16.0
            );
            t += step;
        }
        let _ = writeln!(
            svg,
            r#"<text x="{tx}" y="{ty}" font-size="{SMALL}" text-anchor="middle">ms since the loop started</text></svg>"#,
            tx = (LEFT + RIGHT) / 2.0,
            ty = axis + 34.0
        );
        svg
    }
}
// ANCHOR_END: svg

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
