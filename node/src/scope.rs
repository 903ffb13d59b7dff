//! How the loop calls JavaScript: Node's `InternalCallbackScope`, and what an exception does.
//!
//! Every callback from the loop (a timer, an immediate, socket data, a close callback) enters
//! JavaScript through [`make_callback`]. If the callback throws, the exception goes to
//! `process._fatalException` (`js/errors.js`): an `'uncaughtException'` listener handles it, or
//! the program ends. Two details are Node's:
//!
//! - a timer or an immediate that threw does not get the drain that would run before the next
//!   timer (immediate) of its phase: Node runs them from one JavaScript loop, which the exception
//!   aborts and C++ restarts, so the next one runs *before* the ticks the failing one queued.
//!   The mark set here is read by the checkpoint, which skips only that drain;
//! - `process.exit()` must stop everything at once, even from deep inside JavaScript. It throws
//!   an exception that no `catch` can stop; the glue sees [`exiting`] and calls nothing more.

use crate::env::enter;
use crate::hooks::Hooks;
use crate::trace;
use eventloops::ch08_ticks::Node;
use rquickjs::{Ctx, Value};
use std::cell::Cell;

thread_local! {
    /// The exit code once `process.exit()` (or a fatal exception) asked to stop.
    static EXIT: Cell<Option<i32>> = const { Cell::new(None) };
    /// The last callback threw: skip the drain that would follow it.
    static FAILED: Cell<bool> = const { Cell::new(false) };
}

/// Forgets the previous run's state (a thread may run several programs, as the tests do).
pub(crate) fn reset() {
    EXIT.set(None);
    FAILED.set(false);
}

/// Asks everything to stop with `code` (`process.reallyExit`).
pub(crate) fn request_exit(code: i32) {
    if EXIT.get().is_none() {
        EXIT.set(Some(code));
    }
}

/// The exit code, once the program is exiting.
pub(crate) fn exiting() -> Option<i32> {
    EXIT.get()
}

/// Takes the "last callback threw" mark (the checkpoint asks, once).
pub(crate) fn take_failed() -> bool {
    FAILED.replace(false)
}

// ANCHOR: make_callback
/// Calls JavaScript for the loop. `call` runs inside the engine; if it throws, the exception is
/// reported as uncaught and the drain after this callback is skipped. Once the program is
/// exiting, nothing is called and the loop is told to stop.
pub(crate) fn make_callback(
    node: &mut Node,
    what: trace::What,
    call: impl for<'js> FnOnce(&Ctx<'js>, &Hooks) -> rquickjs::Result<()>,
) {
    if exiting().is_some() {
        node.stop();
        return;
    }
    let started = trace::start(node);
    enter(node, |ctx, hooks| {
        if let Err(error) = call(&ctx, hooks) {
            FAILED.set(true);
            report(&ctx, hooks, error);
        }
    });
    trace::finish(node, what, started);
    if exiting().is_some() {
        node.stop();
    }
}
// ANCHOR_END: make_callback

/// Hands an exception to `process._fatalException`. If that throws too, the program ends with
/// exit code 7, as Node's does when its uncaught-exception handler fails.
pub(crate) fn report<'js>(ctx: &Ctx<'js>, hooks: &Hooks, error: rquickjs::Error) {
    let exception = exception_value(ctx, error);
    if exiting().is_some() {
        return; // the exception is process.exit() unwinding the stack
    }
    let handled =
        Hooks::get(ctx, &hooks.fatal_exception).and_then(|f| f.call::<_, ()>((exception,)));
    if let Err(error) = handled {
        let again = exception_value(ctx, error);
        if exiting().is_none() {
            let shown = again
                .as_object()
                .and_then(|o| o.get::<_, String>("stack").ok())
                .unwrap_or_default();
            crate::bindings::stdio::write_stderr(&format!(
                "the uncaughtException handler threw: {shown}\n"
            ));
            request_exit(7);
        }
    }
}

/// The JavaScript value of an error: the pending exception, or a new `Error` for an error the
/// Rust side made (a value of the wrong type for a host function, say).
fn exception_value<'js>(ctx: &Ctx<'js>, error: rquickjs::Error) -> Value<'js> {
    if error.is_exception() {
        return ctx.catch();
    }
    match rquickjs::Exception::from_message(ctx.clone(), &error.to_string()) {
        Ok(e) => e.into_value(),
        Err(_) => Value::new_undefined(ctx.clone()),
    }
}
