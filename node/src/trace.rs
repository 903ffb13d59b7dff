//! `--trace out.svg`: the run drawn as chapter 7's phase timeline, each box a JavaScript
//! callback.
//!
//! The loop traces itself (chapter 7): its waits in `epoll_wait` and the handle callbacks. But
//! chapter 8's Node runs every timer from one loop timer and every immediate from one check
//! handle, so the loop's own boxes say "timers" and "check", not which JavaScript ran. The glue
//! knows: each [`make_callback`](crate::scope) records what it called, in the phase that kind
//! of callback runs in, and the checkpoint records its drains. The timeline keeps the loop's
//! waits and replaces its callback boxes with these.

use eventloops::ch07_phases::{Phase, Span, Trace};
use eventloops::ch08_ticks::Node;
use std::cell::{Cell, RefCell};
use std::time::Instant;

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
    /// A close callback (`'close'` of a socket or server), labelled.
    Close(String),
    /// The nextTick and microtask queues, drained after a callback.
    Microtasks,
    /// `'beforeExit'` or `'exit'` listeners.
    Exit(String),
}

thread_local! {
    /// The JavaScript callbacks recorded so far, when tracing.
    static SPANS: RefCell<Option<Vec<Span>>> = const { RefCell::new(None) };
    /// The phase of the last callback: a drain of the queues belongs to the phase of the
    /// callback it follows.
    static LAST_PHASE: Cell<Phase> = const { Cell::new(Phase::Timers) };
    /// A label found while the callback ran (the name of the JavaScript function it called).
    static LABEL: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Names the callback being traced.
pub(crate) fn label(text: String) {
    LABEL.with_borrow_mut(|l| *l = Some(text));
}

/// Starts recording (the loop's own trace must be on too: [`Node::enable_trace`]).
pub(crate) fn enable() {
    SPANS.with_borrow_mut(|s| *s = Some(Vec::new()));
}

/// Stops recording and returns what was recorded.
pub(crate) fn take() -> Option<Vec<Span>> {
    SPANS.with_borrow_mut(Option::take)
}

fn tracing() -> bool {
    SPANS.with_borrow(Option::is_some)
}

/// The clock, if tracing (untraced runs do not pay for it).
pub(crate) fn start(_node: &Node) -> Option<Instant> {
    tracing().then(Instant::now)
}

/// Records a callback that began at `started`.
pub(crate) fn finish(node: &Node, what: What, started: Option<Instant>) {
    let Some(started) = started else { return };
    let found = LABEL.with_borrow_mut(Option::take);
    let (phase, label) = match what {
        What::Main => (Phase::Timers, "main module".to_string()),
        What::Timeout(l) => (Phase::Timers, l),
        What::Immediate(l) => (Phase::Check, l),
        What::Io(l) => (Phase::Poll, l),
        What::Close(l) => (Phase::Close, l),
        What::Microtasks => (LAST_PHASE.get(), "ticks + microtasks".to_string()),
        What::Exit(l) => (Phase::Close, l),
    };
    let label = found.unwrap_or(label);
    LAST_PHASE.set(phase);
    let span = Span {
        phase,
        label,
        start: node.since_start(started),
        end: node.since_start(Instant::now()),
        waiting: false,
    };
    SPANS.with_borrow_mut(|s| {
        if let Some(spans) = s {
            spans.push(span);
        }
    });
}

/// Whether labels are wanted: building one costs a property read or two, paid only when
/// tracing.
pub(crate) fn wanted() -> bool {
    tracing()
}

/// The timeline: the loop's waits from its own trace, and the JavaScript callbacks.
pub fn merge(loop_trace: Option<&Trace>, callbacks: Vec<Span>) -> Trace {
    let mut spans: Vec<Span> = loop_trace
        .map(|t| t.spans.iter().filter(|s| s.waiting).cloned().collect())
        .unwrap_or_default();
    spans.extend(callbacks);
    spans.sort_by_key(|s| s.start);
    Trace { spans }
}
