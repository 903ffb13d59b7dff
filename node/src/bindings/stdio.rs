//! `binding.writeStdout` and `binding.writeStderr`: console output, written at once. Node
//! writes synchronously to files and pipes too, so output is never lost when the process exits
//! and interleaves with a child's output in order.

use super::define;
use rquickjs::{Ctx, Object};
use std::cell::RefCell;
use std::io::Write;

thread_local! {
    /// What the program printed, when the caller asked to keep it.
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Keeps stdout in memory (for tests) instead of writing it.
pub(crate) fn capture(on: bool) {
    CAPTURED.with_borrow_mut(|c| *c = on.then(String::new));
}

/// What was kept.
pub(crate) fn take_captured() -> Option<String> {
    CAPTURED.with_borrow_mut(Option::take)
}

/// Writes to stdout. A closed stdout (`| head`) is ignored, as Node ignores EPIPE on it.
pub(crate) fn write_stdout(text: &str) {
    crate::trace::printed(text);
    let kept = CAPTURED.with_borrow_mut(|c| match c {
        Some(buffer) => {
            buffer.push_str(text);
            true
        }
        None => false,
    });
    if kept {
        return;
    }
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// Writes to stderr.
pub(crate) fn write_stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(ctx, binding, "writeStdout", |text: String| {
        write_stdout(&text)
    })?;
    define(ctx, binding, "writeStderr", |text: String| {
        write_stderr(&text)
    })?;
    Ok(())
}
