//! Timers and immediates on chapter 8's lists: `binding.timerStart(timeout, ms, repeat)` puts a
//! JavaScript `Timeout` object in chapter 8's timer list for `ms`, and when it is due the loop
//! calls `runTimeout(timeout)` in `js/timers.js`; immediates likewise on chapter 8's immediate
//! queue. JavaScript keeps the returned key to clear, ref and unref it.

use super::define;
use super::keys::Keys;
use crate::env::with_loop;
use crate::hooks::Hooks;
use crate::scope::make_callback;
use crate::trace::{self, What};
use eventloops::ch08_ticks::{Immediate, Node, Timeout};
use rquickjs::{Ctx, Function, Object, Persistent};
use std::cell::RefCell;

/// A JavaScript object kept alive from Rust.
type Saved = Persistent<Object<'static>>;

thread_local! {
    static TIMEOUTS: RefCell<Keys<Timeout>> = const { RefCell::new(Keys::new()) };
    static IMMEDIATES: RefCell<Keys<Immediate>> = const { RefCell::new(Keys::new()) };
}

/// Forgets the previous run's keys.
pub(crate) fn reset() {
    TIMEOUTS.with_borrow_mut(Keys::clear);
    IMMEDIATES.with_borrow_mut(Keys::clear);
}

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(ctx, binding, "timerStart", timer_start)?;
    define(ctx, binding, "timerStop", |key: u32| {
        if let Some(id) = TIMEOUTS.with_borrow_mut(|t| t.remove(key)) {
            with_loop(|node| node.clear_timeout(id));
        }
    })?;
    define(ctx, binding, "timerRef", |key: u32, on: bool| {
        if let Some(id) = TIMEOUTS.with_borrow(|t| t.get(key).copied()) {
            with_loop(|node| {
                if on {
                    node.ref_timer(id)
                } else {
                    node.unref_timer(id)
                }
            });
        }
    })?;
    define(ctx, binding, "immediateStart", immediate_start)?;
    define(ctx, binding, "immediateStop", |key: u32| {
        if let Some(id) = IMMEDIATES.with_borrow_mut(|t| t.remove(key)) {
            with_loop(|node| node.clear_immediate(id));
        }
    })?;
    define(ctx, binding, "immediateRef", |key: u32, on: bool| {
        if let Some(id) = IMMEDIATES.with_borrow(|t| t.get(key).copied()) {
            with_loop(|node| {
                if on {
                    node.ref_immediate(id)
                } else {
                    node.unref_immediate(id)
                }
            });
        }
    })?;
    Ok(())
}

// ANCHOR: timer_start
/// `binding.timerStart(timeout, ms, repeat)`: chapter 8's `set_timeout` (or `set_interval`)
/// with a callback that hands the `Timeout` object back to JavaScript.
fn timer_start<'js>(ctx: Ctx<'js>, timeout: Object<'js>, ms: f64, repeat: bool) -> u32 {
    // Node keys its lists by the delay as given; chapter 8's lists are whole milliseconds, and a
    // 1.5 ms timer is due at the same loop tick as a 2 ms one.
    let ms = ms.ceil().max(1.0) as u64;
    let timeout: Saved = Persistent::save(&ctx, timeout);
    let key = TIMEOUTS.with_borrow_mut(Keys::reserve);
    let id = with_loop(|node| {
        if repeat {
            node.set_interval(ms, move |node| run_timeout(node, timeout.clone()))
        } else {
            node.set_timeout(ms, move |node| {
                TIMEOUTS.with_borrow_mut(|t| t.remove(key));
                run_timeout(node, timeout);
            })
        }
    });
    TIMEOUTS.with_borrow_mut(|t| t.set(key, id));
    key
}

/// The loop's callback for one timer: `runTimeout(timeout)` in JavaScript.
fn run_timeout(node: &mut Node, timeout: Saved) {
    let what = What::Timeout(String::new());
    make_callback(node, what, |ctx, hooks| {
        let timeout = timeout.restore(ctx)?;
        if trace::wanted() {
            trace::label(label(&timeout, "_onTimeout", "setTimeout"));
        }
        Hooks::get(ctx, &hooks.run_timeout)?.call((timeout,))
    });
}
// ANCHOR_END: timer_start

/// `binding.immediateStart(immediate)`: chapter 8's `set_immediate`.
fn immediate_start<'js>(ctx: Ctx<'js>, immediate: Object<'js>) -> u32 {
    let immediate: Saved = Persistent::save(&ctx, immediate);
    let key = IMMEDIATES.with_borrow_mut(Keys::reserve);
    let id = with_loop(|node| {
        node.set_immediate(move |node| {
            IMMEDIATES.with_borrow_mut(|t| t.remove(key));
            make_callback(node, What::Immediate(String::new()), |ctx, hooks| {
                let immediate = immediate.restore(ctx)?;
                if trace::wanted() {
                    trace::label(label(&immediate, "_onImmediate", "setImmediate"));
                }
                Hooks::get(ctx, &hooks.run_immediate)?.call((immediate,))
            });
        })
    });
    IMMEDIATES.with_borrow_mut(|t| t.set(key, id));
    key
}

/// `setTimeout(name)` for the trace.
fn label(object: &Object<'_>, field: &str, api: &str) -> String {
    let name = object
        .get::<_, Function>(field)
        .ok()
        .and_then(|f| f.get::<_, String>("name").ok())
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "anonymous".to_string());
    let ms = object
        .get::<_, f64>("_idleTimeout")
        .map(|ms| format!(", {ms}"))
        .unwrap_or_default();
    format!("{api}({name}{ms})")
}
