//! `--trace out.svg`: the run drawn as a phase timeline, one row per JavaScript callback.
//!
//! The loop traces itself (chapter 7): its waits in `epoll_wait` and its handle callbacks. But
//! chapter 8's Node runs every timer from one loop timer and every immediate from one check
//! handle, so the loop's own boxes say "timers" and "check", not which JavaScript ran. The glue
//! knows: each [`make_callback`](crate::scope) records what it called, in the phase that kind of
//! callback runs in, the checkpoint records its drains, and whatever a callback prints is kept
//! with it. The timeline keeps the loop's waits and replaces its callback boxes with these.
//!
//! Time runs down the page: each row is one callback (or one wait), in the column of its
//! phase, with what it printed beside it. A line across the page marks where a new turn of the
//! loop begins (a phase earlier in the turn than the one before).

use eventloops::ch07_phases::{Phase, Trace};
use eventloops::ch08_ticks::Node;
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::time::{Duration, Instant};

/// What kind of JavaScript a traced callback ran, and so the phase it belongs to.
#[derive(Debug, Clone)]
pub enum What {
    /// The main module.
    Main,
    /// A `setTimeout`/`setInterval` callback, labelled.
    Timeout(String),
    /// A `setImmediate` callback, labelled.
    Immediate(String),
    /// An I/O callback (socket events, a finished file operation), labelled.
    Io(String),
    /// A callback libuv deferred to the pending phase (a shutdown with nothing left to write).
    Pending(String),
    /// A close callback (`'close'` of a socket or server), labelled.
    Close(String),
    /// The nextTick and microtask queues, drained after a callback.
    Microtasks,
    /// `'beforeExit'` or `'exit'` listeners.
    Exit(String),
}

/// One row of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// The column: a phase, or `None` for the main module and the exit listeners (outside the
    /// loop).
    pub phase: Option<Phase>,
    /// What ran.
    pub label: String,
    /// When it began, since the loop was created.
    pub start: Duration,
    /// When it ended.
    pub end: Duration,
    /// A wait in the poll phase rather than a callback.
    pub waiting: bool,
    /// A drain of the nextTick and microtask queues.
    pub drain: bool,
    /// What it printed on stdout.
    pub printed: Vec<String>,
}

thread_local! {
    /// The callbacks recorded so far, when tracing.
    static STEPS: RefCell<Option<Vec<Step>>> = const { RefCell::new(None) };
    /// The phase of the last callback: a drain belongs to the phase of the callback it follows.
    static LAST_PHASE: Cell<Option<Phase>> = const { Cell::new(None) };
    /// A label found while the callback ran (the name of the JavaScript function it called).
    static LABEL: RefCell<Option<String>> = const { RefCell::new(None) };
    /// What the running callback printed so far.
    static PRINTED: RefCell<String> = const { RefCell::new(String::new()) };
}

/// Starts recording (the loop's own trace must be on too: [`Node::enable_trace`]).
pub(crate) fn enable() {
    STEPS.with_borrow_mut(|s| *s = Some(Vec::new()));
    LAST_PHASE.set(None);
}

/// Stops recording and returns what was recorded.
pub(crate) fn take() -> Option<Vec<Step>> {
    STEPS.with_borrow_mut(Option::take)
}

fn tracing() -> bool {
    STEPS.with_borrow(Option::is_some)
}

/// Whether labels are wanted: building one costs a property read, paid only when tracing.
pub(crate) fn wanted() -> bool {
    tracing()
}

/// Names the callback being traced.
pub(crate) fn label(text: String) {
    LABEL.with_borrow_mut(|l| *l = Some(text));
}

/// Keeps what a callback printed, for its row.
pub(crate) fn printed(text: &str) {
    if tracing() {
        PRINTED.with_borrow_mut(|p| p.push_str(text));
    }
}

/// The clock, if tracing (untraced runs do not pay for it).
pub(crate) fn start(_node: &Node) -> Option<Instant> {
    tracing().then(Instant::now)
}

/// Records a callback that began at `started`.
pub(crate) fn finish(node: &Node, what: What, started: Option<Instant>) {
    let Some(started) = started else { return };
    let found = LABEL.with_borrow_mut(Option::take);
    let name = |kind: &str, l: String| match &found {
        Some(f) => format!("{kind} {f}"),
        None if l.is_empty() => kind.to_string(),
        None => format!("{kind} {l}"),
    };
    let mut drain = false;
    let (phase, label) = match what {
        What::Main => (None, "main module".to_string()),
        What::Timeout(l) => (Some(Phase::Timers), name("setTimeout:", l)),
        What::Immediate(l) => (Some(Phase::Check), name("setImmediate:", l)),
        What::Io(l) => (Some(Phase::Poll), l),
        What::Pending(l) => (Some(Phase::Pending), l),
        What::Close(l) => (Some(Phase::Close), l),
        What::Microtasks => {
            drain = true;
            (LAST_PHASE.get(), "nextTicks + microtasks".to_string())
        }
        What::Exit(l) => (None, format!("'{l}' listeners")),
    };
    if !drain {
        LAST_PHASE.set(phase);
    }
    let printed = PRINTED.with_borrow_mut(std::mem::take);
    let step = Step {
        phase,
        label,
        start: node.since_start(started),
        end: node.since_start(Instant::now()),
        waiting: false,
        drain,
        printed: printed.lines().map(str::to_string).collect(),
    };
    STEPS.with_borrow_mut(|s| {
        if let Some(steps) = s {
            steps.push(step);
        }
    });
}

/// The rows of the timeline: the loop's waits from its own trace, and the JavaScript callbacks,
/// in time order. Waits shorter than 0.1 ms (a poll that did not block) are left out.
pub fn merge(loop_trace: Option<&Trace>, callbacks: Vec<Step>) -> Vec<Step> {
    let mut steps: Vec<Step> = loop_trace
        .map(|t| {
            t.spans
                .iter()
                .filter(|s| s.waiting && s.end - s.start >= Duration::from_micros(100))
                .map(|s| Step {
                    phase: Some(Phase::Poll),
                    label: s.label.clone(),
                    start: s.start,
                    end: s.end,
                    waiting: true,
                    drain: false,
                    printed: Vec::new(),
                })
                .collect()
        })
        .unwrap_or_default();
    steps.extend(callbacks);
    steps.sort_by_key(|s| s.start);
    steps
}

/// The columns, in the order of one turn; the main module and the exit listeners run outside
/// the loop, in the first column.
const COLUMNS: [Option<Phase>; 8] = [
    None,
    Some(Phase::Pending),
    Some(Phase::Idle),
    Some(Phase::Prepare),
    Some(Phase::Poll),
    Some(Phase::Check),
    Some(Phase::Close),
    Some(Phase::Timers),
];

fn column(phase: Option<Phase>) -> usize {
    COLUMNS.iter().position(|c| *c == phase).unwrap_or(0)
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

// ANCHOR: svg
/// Draws the timeline: one row per step, its box in its phase's column, its label and what it
/// printed to the right; turns separated by a line.
pub fn to_svg(steps: &[Step], title: &str) -> String {
    let (left, top, col, row, label_x) = (10.0, 58.0, 62.0, 20.0, 10.0 + 62.0 * 8.0 + 12.0);
    let origin = steps.first().map_or(Duration::ZERO, |s| s.start);
    let rows: f64 = steps
        .iter()
        .map(|s| 1.0_f64.max(s.printed.len() as f64))
        .sum();
    let height = top + row * rows + 20.0;
    let width = 1000.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#ffffff"/><text x="10" y="20" font-size="14" font-weight="bold" fill="#111">{}</text>"##,
        escape(title)
    );
    let names = [
        "main/exit",
        "pending",
        "idle",
        "prepare",
        "poll",
        "check",
        "closing",
        "timers",
    ];
    for (i, name) in names.iter().enumerate() {
        let x = left + col * i as f64;
        let _ = writeln!(
            svg,
            r##"<text x="{tx}" y="{ty}" text-anchor="middle" fill="#111">{name}</text><line x1="{lx}" y1="{y0}" x2="{lx}" y2="{y1}" stroke="#e5e7eb"/>"##,
            tx = x + col / 2.0,
            ty = top - 12.0,
            lx = x + col / 2.0,
            y0 = top - 6.0,
            y1 = height - 14.0
        );
    }
    let _ = writeln!(
        svg,
        r##"<text x="{label_x}" y="{ty}" fill="#111">ms · what ran · what it printed</text>"##,
        ty = top - 12.0
    );
    let mut y = top;
    let mut last_column = 0;
    let poll = column(Some(Phase::Poll));
    for step in steps {
        let c = column(step.phase);
        // libuv >= 1.45 runs the pending queue again right after the poll phase: a pending
        // callback after a poll step is still the same turn.
        let pending_after_poll = step.phase == Some(Phase::Pending) && last_column == poll;
        if c < last_column && c != 0 && !pending_after_poll {
            // A phase earlier in the turn than the last one: a new turn began.
            let _ = writeln!(
                svg,
                r##"<line x1="{left}" y1="{y}" x2="{x2}" y2="{y}" stroke="#9ca3af" stroke-dasharray="4 3"/>"##,
                x2 = width - 10.0
            );
        }
        if !pending_after_poll {
            last_column = c;
        }
        let x = left + col * c as f64;
        let (fill, stroke, text) = if step.waiting {
            ("#dbeafe", "#60a5fa", "#1e3a8a")
        } else if step.drain {
            ("#e5e7eb", "#6b7280", "#374151")
        } else {
            ("#fbbf24", "#b45309", "#111111")
        };
        let (bx, bw) = if step.drain {
            (x + 16.0, col - 24.0)
        } else {
            (x + 6.0, col - 12.0)
        };
        let lines = 1.0_f64.max(step.printed.len() as f64);
        let _ = writeln!(
            svg,
            r#"<rect x="{bx}" y="{by}" width="{bw}" height="{bh}" rx="3" fill="{fill}" stroke="{stroke}"/>"#,
            by = y + 3.0,
            bh = row * lines - 6.0
        );
        let at = (step.start - origin.min(step.start)).as_secs_f64() * 1000.0;
        let what = if step.waiting {
            format!(
                "{} — waited {:.1} ms",
                step.label,
                (step.end - step.start).as_secs_f64() * 1000.0
            )
        } else {
            step.label.clone()
        };
        let _ = writeln!(
            svg,
            r##"<text x="{label_x}" y="{ty}" fill="{text}"><tspan fill="#6b7280">{at:7.1}</tspan>  {}</text>"##,
            escape(&what),
            ty = y + row / 2.0 + 4.0
        );
        for (i, line) in step.printed.iter().enumerate() {
            let _ = writeln!(
                svg,
                r##"<text x="{px}" y="{ty}" fill="#065f46" font-family="monospace">{}</text>"##,
                escape(line),
                px = label_x + 230.0,
                ty = y + row * i as f64 + row / 2.0 + 4.0
            );
        }
        y += row * lines;
    }
    let _ = writeln!(svg, "</svg>");
    svg
}
// ANCHOR_END: svg

#[cfg(test)]
mod tests {
    use super::*;

    fn step(phase: Option<Phase>, label: &str, ms: u64) -> Step {
        Step {
            phase,
            label: label.into(),
            start: Duration::from_millis(ms),
            end: Duration::from_millis(ms + 1),
            waiting: false,
            drain: false,
            printed: vec![format!("printed by {label}")],
        }
    }

    #[test]
    fn every_step_gets_a_row_and_a_new_turn_a_line() {
        let steps = [
            step(None, "main module", 0),
            step(Some(Phase::Check), "setImmediate: a", 2),
            step(Some(Phase::Timers), "setTimeout: b", 3),
            step(Some(Phase::Check), "setImmediate: c", 4),
        ];
        let svg = to_svg(&steps, "t");
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        for s in &steps {
            assert!(svg.contains(&s.label), "{} missing", s.label);
            assert!(svg.contains(&format!("printed by {}", s.label)));
        }
        // check -> timers is the same turn; timers -> check starts the next one.
        assert_eq!(svg.matches("stroke-dasharray").count(), 1);
    }

    #[test]
    fn pending_callbacks_right_after_the_poll_phase_are_the_same_turn() {
        let steps = [
            step(Some(Phase::Poll), "net: end of file", 1),
            step(Some(Phase::Pending), "net: shutdown done", 2),
            step(Some(Phase::Close), "net: close", 3),
            step(Some(Phase::Pending), "next turn", 4),
        ];
        assert_eq!(to_svg(&steps, "t").matches("stroke-dasharray").count(), 1);
    }

    #[test]
    fn labels_are_escaped() {
        let svg = to_svg(&[step(None, "a <b> & c", 0)], "<t>");
        assert!(svg.contains("a &lt;b&gt; &amp; c") && svg.contains("&lt;t&gt;"));
    }
}
