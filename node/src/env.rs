//! The environment: what a host function needs when JavaScript calls it, Node's `Environment`.
//!
//! A JavaScript callback runs because the loop called it: the loop hands its callback
//! `&mut Node`, the callback enters the engine, and the engine calls our host functions
//! (`setTimeout`, `socket.write`, ...), which need that same loop to schedule work on. The engine
//! cannot pass a Rust reference through JavaScript, so we park a pointer to the loop in a
//! thread-local for exactly as long as the engine runs, the way Node finds its `Environment`
//! from the V8 context it is called in (`Environment::GetCurrent`).
//!
//! Two rules keep this sound:
//! - [`enter`] is the only way into the engine from the loop; it stores the pointer it was given
//!   and restores the previous one when the engine returns;
//! - a host function borrows the loop through [`with_loop`] for the length of one Rust call and
//!   never calls back into JavaScript while it holds it.

use crate::hooks::Hooks;
use eventloops::ch08_ticks::Node;
use rquickjs::{Context, Ctx, Runtime};
use std::cell::{Cell, RefCell};
use std::ptr;

/// The engine: QuickJS's runtime and context, and the functions of our JavaScript library the
/// loop calls (Node keeps the same kind of list: `tick_callback_function`,
/// `immediate_callback_function`, ...).
pub(crate) struct Engine {
    /// The JavaScript functions the loop calls back. Declared first: dropped before the context.
    pub(crate) hooks: Hooks,
    /// Where JavaScript runs.
    pub(crate) context: Context,
    /// The heap and the job queue.
    pub(crate) runtime: Runtime,
}

thread_local! {
    /// The loop that is running JavaScript right now; null when none is.
    static LOOP: Cell<*mut Node> = const { Cell::new(ptr::null_mut()) };
    /// The engine of this thread, once booted.
    static ENGINE: RefCell<Option<Engine>> = const { RefCell::new(None) };
}

/// Installs the engine for this thread.
pub(crate) fn install(engine: Engine) {
    ENGINE.with_borrow_mut(|slot| *slot = Some(engine));
}

/// Takes the engine out, to drop it (after the loop, whose callbacks hold JavaScript values).
pub(crate) fn uninstall() -> Option<Engine> {
    ENGINE.with_borrow_mut(Option::take)
}

/// Whether an engine is installed on this thread.
pub(crate) fn installed() -> bool {
    ENGINE.with_borrow(Option::is_some)
}

// ANCHOR: enter
/// Enters the engine on behalf of `node`: `f` gets the JavaScript context and our library's
/// hooks, and every host function it calls finds `node` through [`with_loop`].
pub(crate) fn enter<R>(node: &mut Node, f: impl for<'js> FnOnce(Ctx<'js>, &Hooks) -> R) -> R {
    let previous = LOOP.replace(node as *mut Node);
    let result = ENGINE.with_borrow(|engine| {
        let engine = engine
            .as_ref()
            .expect("the engine is booted before the loop runs");
        engine.context.with(|ctx| f(ctx, &engine.hooks))
    });
    LOOP.set(previous);
    result
}

/// Lends the loop that entered the engine to a host function.
pub(crate) fn with_loop<R>(f: impl FnOnce(&mut Node) -> R) -> R {
    let node = LOOP.get();
    assert!(!node.is_null(), "a host function ran outside `enter`");
    // SAFETY: `enter` stored this pointer from a `&mut Node` that it does not use until the
    // engine returns, and restores the previous value before that reference is used again, so
    // the loop is alive and nothing else reaches it while JavaScript runs. Host functions are
    // called one at a time on this thread and do not call back into JavaScript while they hold
    // the reference, so it is the only one in use.
    f(unsafe { &mut *node })
}
// ANCHOR_END: enter

/// Whether the engine has promise jobs waiting, asked from outside it (no context entered).
pub(crate) fn jobs_pending() -> bool {
    ENGINE.with_borrow(|engine| engine.as_ref().is_some_and(|e| e.runtime.is_job_pending()))
}

/// Lends the hooks to code already inside the engine (the promise rejection tracker).
pub(crate) fn with_hooks(f: impl FnOnce(&Hooks)) {
    ENGINE.with_borrow(|engine| {
        if let Some(engine) = engine {
            f(&engine.hooks);
        }
    });
}
