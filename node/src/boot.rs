//! Booting the engine: QuickJS's runtime and context, the host functions, our JavaScript
//! library, and the hooks the loop will call. Node does the same at startup: creates the V8
//! isolate and context, its `Environment`, the internal bindings, and runs
//! `lib/internal/bootstrap/*.js`.

use crate::bindings;
use crate::env::{self, Engine};
use crate::hooks::Hooks;
use rquickjs::context::EvalOptions;
use rquickjs::{Context, Ctx, Function, Object, Runtime, Value};

/// The library, one file per part of Node, compiled on first `require` from inside it.
pub(crate) const LIBRARY: &[(&str, &str)] = &[
    ("buffer", include_str!("../js/buffer.js")),
    ("console", include_str!("../js/console.js")),
    ("dns", include_str!("../js/dns.js")),
    ("errors", include_str!("../js/errors.js")),
    ("events", include_str!("../js/events.js")),
    ("fs", include_str!("../js/fs.js")),
    ("modules", include_str!("../js/modules.js")),
    ("net", include_str!("../js/net.js")),
    ("os", include_str!("../js/os.js")),
    ("path", include_str!("../js/path.js")),
    ("process", include_str!("../js/process.js")),
    ("promises", include_str!("../js/promises.js")),
    ("ticks", include_str!("../js/ticks.js")),
    ("timers", include_str!("../js/timers.js")),
    ("util", include_str!("../js/util.js")),
];

const BOOTSTRAP: &str = include_str!("../js/bootstrap.js");

/// Creates the engine for this thread. `argv` is `process.argv` (the runtime's path, the
/// script, its arguments).
pub(crate) fn boot(argv: Vec<String>) -> rquickjs::Result<()> {
    let runtime = Runtime::new()?;
    // Deep recursion in a program should be a RangeError, not a crash of the Rust stack.
    runtime.set_max_stack_size(4 * 1024 * 1024);
    let context = Context::full(&runtime)?;
    let hooks = context.with(|ctx| -> rquickjs::Result<Hooks> {
        let binding = bindings::install(&ctx, argv)?;
        let bootstrap: Function = eval(&ctx, BOOTSTRAP, "node:internal/bootstrap", true)?;
        let exported: Object = match bootstrap.call((binding,)) {
            Ok(o) => o,
            Err(e) => return Err(describe(&ctx, e)),
        };
        Hooks::from_object(&ctx, &exported)
    })?;
    runtime.set_host_promise_rejection_tracker(Some(Box::new(bindings::tasks::on_rejection)));
    runtime.set_loader(bindings::esm::Resolve, bindings::esm::Load);
    env::install(Engine {
        hooks,
        context,
        runtime,
    });
    Ok(())
}

/// Evaluates `source` as a script named `filename` and returns its value.
pub(crate) fn eval<'js, V: rquickjs::FromJs<'js>>(
    ctx: &Ctx<'js>,
    source: &str,
    filename: &str,
    strict: bool,
) -> rquickjs::Result<V> {
    let mut options = EvalOptions::default();
    options.strict = strict;
    options.filename = Some(filename.to_string());
    ctx.eval_with_options(source, options)
}

/// An exception during boot is a bug in the library: say which.
fn describe<'js>(ctx: &Ctx<'js>, error: rquickjs::Error) -> rquickjs::Error {
    if error.is_exception() {
        let e: Value = ctx.catch();
        let text = e
            .as_object()
            .map(|o| {
                let message: String = o.get("message").unwrap_or_default();
                let stack: String = o.get("stack").unwrap_or_default();
                format!("{message}\n{stack}")
            })
            .unwrap_or_else(|| format!("{e:?}"));
        return rquickjs::Error::new_from_js_message("bootstrap", "library", text);
    }
    error
}
