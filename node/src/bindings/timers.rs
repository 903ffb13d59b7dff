//! Timers and immediates on chapter 8's lists. `binding.timerStart(timeout, callback, ms)` puts a
//! timer in chapter 8's list for `ms`, with a loop callback that calls `callback` (with `this`
//! the JavaScript `Timeout` object) when it is due; `timerStartFull` also takes the extra
//! arguments and whether it repeats. Immediates likewise on chapter 8's immediate queue.
//! JavaScript keeps the returned key to clear, ref and unref it; the key goes stale when the
//! timer has fired or been cleared.
//!
//! The common case has its own, shorter host function: every argument of a call from
//! JavaScript is converted and reference-counted on the way in, and a program may start a
//! million timers.

use super::define;
use super::keys::{Key, Keys};
use crate::env::with_loop;
use crate::scope::make_callback;
use crate::trace::{self, What};
use eventloops::ch08_ticks::{Immediate, Node, Timeout};
use rquickjs::function::Args;
use rquickjs::{Array, Ctx, Function, Object, Persistent, Value};
use std::cell::RefCell;
use std::rc::Rc;

/// A JavaScript call the loop will make later: the function, its `this`, its arguments.
pub(crate) struct SavedCall {
    function: Persistent<Function<'static>>,
    this: Persistent<Value<'static>>,
    args: Option<Persistent<Array<'static>>>,
}

impl SavedCall {
    /// Saves `function.apply(this, args)` for later.
    pub(crate) fn save<'js>(
        ctx: &Ctx<'js>,
        function: Function<'js>,
        this: Value<'js>,
        args: Option<Array<'js>>,
    ) -> SavedCall {
        SavedCall {
            function: Persistent::save(ctx, function),
            this: Persistent::save(ctx, this),
            args: args.map(|a| Persistent::save(ctx, a)),
        }
    }

    /// Makes the call.
    pub(crate) fn call<'js>(&self, ctx: &Ctx<'js>) -> rquickjs::Result<()> {
        let function = self.function.clone().restore(ctx)?;
        if trace::wanted() {
            trace::label(function_name(&function));
        }
        // (the kind of callback, setTimeout or setImmediate, is added by `trace::finish`)
        let extra = match &self.args {
            Some(args) => args.clone().restore(ctx)?.len(),
            None => 0,
        };
        let mut call = Args::new(ctx.clone(), extra);
        call.this(self.this.clone().restore(ctx)?)?;
        if let Some(args) = &self.args {
            for value in args.clone().restore(ctx)?.iter::<Value>() {
                call.push_arg(value?)?;
            }
        }
        function.call_arg::<()>(call)
    }
}

fn function_name(function: &Function<'_>) -> String {
    let name: String = function.get("name").unwrap_or_default();
    if name.is_empty() {
        "anonymous".to_string()
    } else {
        name
    }
}

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
    define(
        ctx,
        binding,
        "timerStart",
        |ctx, timeout: Value<'js>, callback: Function<'js>, ms: f64| {
            timer_start(ctx, timeout, callback, ms, None, false)
        },
    )?;
    define(ctx, binding, "timerStartFull", timer_start)?;
    define(ctx, binding, "timerStop", |key: Key| {
        if let Some(id) = TIMEOUTS.with_borrow_mut(|t| t.remove(key)) {
            with_loop(|node| node.clear_timeout(id));
        }
    })?;
    define(ctx, binding, "timerRef", |key: Key, on: bool| {
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
    define(
        ctx,
        binding,
        "immediateStart",
        |ctx, immediate: Value<'js>, callback: Function<'js>| {
            immediate_start(ctx, immediate, callback, None)
        },
    )?;
    define(ctx, binding, "immediateStartWithArgs", immediate_start)?;
    define(ctx, binding, "immediateStop", |key: Key| {
        if let Some(id) = IMMEDIATES.with_borrow_mut(|t| t.remove(key)) {
            with_loop(|node| node.clear_immediate(id));
        }
    })?;
    define(ctx, binding, "immediateRef", |key: Key, on: bool| {
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
    define(ctx, binding, "immediateHasRef", |key: Key| {
        IMMEDIATES.with_borrow(|t| t.get(key).is_some())
    })?;
    Ok(())
}

// ANCHOR: timer_start
/// `binding.timerStartFull(timeout, callback, ms, args, repeat)`: chapter 8's `set_timeout` (or
/// `set_interval`) with a loop callback that calls `callback` on the `Timeout` object (taken as
/// a plain value: `js/timers.js` always passes the object, and checking it again costs every timer).
fn timer_start<'js>(
    ctx: Ctx<'js>,
    timeout: Value<'js>,
    callback: Function<'js>,
    ms: f64,
    args: Option<Array<'js>>,
    repeat: bool,
) -> Key {
    // Node keys its lists by the delay as given; chapter 8's lists are whole milliseconds, and a
    // 1.5 ms timer is due at the same loop tick as a 2 ms one.
    let ms = ms.ceil().max(1.0) as u64;
    let call = SavedCall::save(&ctx, callback, timeout, args);
    let key = TIMEOUTS.with_borrow_mut(Keys::reserve);
    let id = with_loop(|node| {
        if repeat {
            let call = Rc::new(call);
            node.set_interval(ms, move |node| run(node, What::Timeout, &call))
        } else {
            node.set_timeout(ms, move |node| {
                TIMEOUTS.with_borrow_mut(|t| t.remove(key)); // fired: the key goes stale
                run(node, What::Timeout, &call);
            })
        }
    });
    TIMEOUTS.with_borrow_mut(|t| t.fill(key, id));
    key
}

/// A loop callback that calls JavaScript.
fn run(node: &mut Node, what: fn(String) -> What, call: &SavedCall) {
    make_callback(node, what(String::new()), |ctx, _| call.call(ctx));
}
// ANCHOR_END: timer_start

/// `binding.immediateStartWithArgs(immediate, callback, args)`: chapter 8's `set_immediate`.
fn immediate_start<'js>(
    ctx: Ctx<'js>,
    immediate: Value<'js>,
    callback: Function<'js>,
    args: Option<Array<'js>>,
) -> Key {
    let call = SavedCall::save(&ctx, callback, immediate, args);
    let key = IMMEDIATES.with_borrow_mut(Keys::reserve);
    let id = with_loop(|node| {
        node.set_immediate(move |node| {
            IMMEDIATES.with_borrow_mut(|t| t.remove(key));
            run(node, What::Immediate, &call);
        })
    });
    IMMEDIATES.with_borrow_mut(|t| t.fill(key, id));
    key
}
