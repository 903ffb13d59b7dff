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
impl Trace {
    /// Draws the trace as an SVG timeline: one row per phase, time left to right, callbacks as
    /// solid boxes with their label, waits in the kernel as pale boxes.
    pub fn to_svg(&self, title: &str) -> String {
        let end_ms = self
            .spans
            .iter()
            .map(|s| ms(s.end))
            .fold(1.0_f64, f64::max)
            .ceil();
        let (left, top, row, width) = (90.0, 40.0, 34.0, 720.0);
        let x = |t: f64| left + t / end_ms * width;
        let height = top + row * Phase::ALL.len() as f64 + 40.0;
        let mut svg = String::new();
        let _ = writeln!(
            svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{height}" viewBox="0 0 {w} {height}" font-family="sans-serif" font-size="12">"#,
            w = left + width + 30.0
        );
        let _ = writeln!(
            svg,
            r#"<rect width="100%" height="100%" fill="white"/><text x="10" y="20" font-size="14" font-weight="bold">{}</text>"#,
            escape(title)
        );
        for (i, phase) in Phase::ALL.iter().enumerate() {
            let y = top + row * i as f64;
            let _ = writeln!(
                svg,
                r##"<text x="10" y="{ty}">{name}</text><line x1="{left}" y1="{ly}" x2="{right}" y2="{ly}" stroke="#ddd"/>"##,
                ty = y + row / 2.0 + 4.0,
                name = phase.name(),
                ly = y + row,
                right = left + width
            );
        }
        for span in &self.spans {
            let i = Phase::ALL
                .iter()
                .position(|p| *p == span.phase)
                .unwrap_or(0);
            let y = top + row * i as f64 + 5.0;
            let (x0, x1) = (x(ms(span.start)), x(ms(span.end)));
            let w = (x1 - x0).max(2.0);
            let (fill, stroke) = if span.waiting {
                ("#dbeafe", "#93c5fd")
            } else {
                ("#f59e0b", "#b45309")
            };
            let _ = writeln!(
                svg,
                r#"<rect x="{x0:.1}" y="{y}" width="{w:.1}" height="{h}" fill="{fill}" stroke="{stroke}"><title>{label}: {a:.1}–{b:.1} ms</title></rect>"#,
                h = row - 10.0,
                label = escape(&span.label),
                a = ms(span.start),
                b = ms(span.end)
            );
            if w > 60.0 || !span.waiting {
                // Inside a wide wait box; after a callback box, or before it near the right edge.
                let (tx, anchor) = if span.waiting {
                    (x0 + 4.0, "start")
                } else if x1 > left + width * 0.6 {
                    (x0 - 4.0, "end")
                } else {
                    (x1 + 4.0, "start")
                };
                let _ = writeln!(
                    svg,
                    r#"<text x="{tx:.1}" y="{ty}" font-size="10" text-anchor="{anchor}">{label} ({a:.1}–{b:.1} ms)</text>"#,
                    ty = y + row / 2.0,
                    label = escape(&span.label),
                    a = ms(span.start),
                    b = ms(span.end)
                );
            }
        }
        let axis_y = top + row * Phase::ALL.len() as f64 + 16.0;
        let step = if end_ms > 50.0 { 10.0 } else { 1.0 };
        let mut t = 0.0;
        while t <= end_ms {
            let _ = writeln!(
                svg,
                r#"<text x="{tx:.1}" y="{axis_y}" font-size="10" text-anchor="middle">{t}</text>"#,
                tx = x(t)
            );
            t += step;
        }
        let _ = writeln!(
            svg,
            r#"<text x="{tx}" y="{y}" font-size="10" text-anchor="middle">ms since the loop started</text></svg>"#,
            tx = left + width / 2.0,
            y = axis_y + 16.0
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
