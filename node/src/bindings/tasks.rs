//! The queues' host functions: the nextTick flag, `queueMicrotask`'s way into the engine's job
//! queue, promise state for `util.inspect`, and the engine's report of unhandled rejections.

use super::define;
use crate::checkpoint;
use crate::env;
use crate::hooks::Hooks;
use rquickjs::promise::PromiseState;
use rquickjs::{Array, Ctx, Function, Object, Promise, Value};

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(
        ctx,
        binding,
        "setTickScheduled",
        checkpoint::set_tick_scheduled,
    )?;
    define(
        ctx,
        binding,
        "setRejectionToWarn",
        checkpoint::set_rejection_to_warn,
    )?;
    // A job in the same queue as promise reactions, so the two interleave in order.
    define(ctx, binding, "enqueueMicrotask", |job: Function| {
        job.defer(())
    })?;
    define(ctx, binding, "promiseState", promise_state)?;
    Ok(())
}

/// `[state, result]` of a promise, for `util.inspect`.
fn promise_state<'js>(ctx: Ctx<'js>, promise: Promise<'js>) -> rquickjs::Result<Array<'js>> {
    let out = Array::new(ctx.clone())?;
    let (state, result) = match promise.state() {
        PromiseState::Pending => ("pending", Value::new_undefined(ctx.clone())),
        PromiseState::Resolved => (
            "fulfilled",
            promise
                .result::<Value>()
                .and_then(Result::ok)
                .unwrap_or_default_value(&ctx),
        ),
        PromiseState::Rejected => ("rejected", promise_reason(&ctx, &promise)),
    };
    out.set(0, state)?;
    out.set(1, result)?;
    Ok(out)
}

fn promise_reason<'js>(ctx: &Ctx<'js>, promise: &Promise<'js>) -> Value<'js> {
    match promise.result::<Value>() {
        Some(Err(_)) => ctx.catch(),
        Some(Ok(v)) => v,
        None => Value::new_undefined(ctx.clone()),
    }
}

trait OrUndefined<'js> {
    fn unwrap_or_default_value(self, ctx: &Ctx<'js>) -> Value<'js>;
}

impl<'js> OrUndefined<'js> for Option<Value<'js>> {
    fn unwrap_or_default_value(self, ctx: &Ctx<'js>) -> Value<'js> {
        self.unwrap_or_else(|| Value::new_undefined(ctx.clone()))
    }
}

/// The engine's promise rejection tracker (V8 has the same callback, Node's
/// `PromiseRejectCallback`): a promise was rejected with no handler (`handled` false), or got
/// its first handler after that (`handled` true). `js/promises.js` keeps the books.
pub(crate) fn on_rejection<'js>(
    ctx: Ctx<'js>,
    promise: Value<'js>,
    reason: Value<'js>,
    handled: bool,
) {
    env::with_hooks(|hooks| {
        let told = Hooks::get(&ctx, &hooks.on_rejection)
            .and_then(|f| f.call::<_, ()>((promise, reason, handled)));
        if told.is_err() {
            let _ = ctx.catch();
        }
    });
}
