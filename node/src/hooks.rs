//! The functions of our JavaScript library that the Rust side calls, saved once at boot.
//!
//! Node's C++ keeps the same kind of list on its `Environment` (`tick_callback_function`,
//! `immediate_callback_function`, the timers callback): the few JavaScript entry points through
//! which the loop gets back into JavaScript. Each is a [`Persistent`] function: a JavaScript
//! value kept alive from Rust.

use rquickjs::{Ctx, Function, Object, Persistent};

/// One saved JavaScript function.
pub(crate) type Hook = Persistent<Function<'static>>;

macro_rules! hooks {
    ($($name:ident => $js:literal, $doc:literal;)*) => {
        /// The entry points of `js/*.js` the loop calls.
        pub(crate) struct Hooks {
            $(#[doc = $doc] pub(crate) $name: Hook,)*
        }

        impl Hooks {
            /// Reads the hooks from the object the bootstrap script returned.
            pub(crate) fn from_object<'js>(ctx: &Ctx<'js>, object: &Object<'js>) -> rquickjs::Result<Hooks> {
                Ok(Hooks {
                    $($name: Persistent::save(ctx, object.get::<_, Function>($js)?),)*
                })
            }
        }
    };
}

hooks! {
    run_main => "runMain", "Runs the program's main module.";
    run_ticks => "runTicks", "Drains the nextTick queue (the first half of `processTicksAndRejections`).";
    process_rejections => "processRejections", "Emits `unhandledRejection` or throws for promises rejected without a handler; returns whether it ran anything.";
    on_rejection => "onRejection", "Told by the engine when a promise is rejected without a handler, or gets one later.";
    fatal_exception => "fatalException", "`process._fatalException`: `'uncaughtException'` or death.";
    before_exit => "emitBeforeExit", "Emits `'beforeExit'` (the loop ran dry).";
    exit => "emitExit", "Emits `'exit'` and returns the exit code.";
}

impl Hooks {
    /// The hook as a function of this context.
    pub(crate) fn get<'js>(ctx: &Ctx<'js>, hook: &Hook) -> rquickjs::Result<Function<'js>> {
        hook.clone().restore(ctx)
    }
}
