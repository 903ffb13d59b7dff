//! ES modules, as far as appendix D needs them: an `.mjs` main module, `import` of the built-in
//! modules and of other files. What matters for the event loop is *when* the main module runs:
//! Node reads it asynchronously and evaluates it inside a promise job, so the microtasks it
//! queues run before its nextTicks (the opposite of CommonJS). `js/modules.js` reads the file
//! through `fs.promises` and calls `binding.evaluateModule` from the promise reaction; the
//! loader below serves the imports.

use super::define;
use rquickjs::loader::{ImportAttributes, Loader, Resolver};
use rquickjs::module::Declared;
use rquickjs::{Ctx, Exception, Function, Module, Object, Promise};
use std::path::{Path, PathBuf};

/// The built-in modules an ES module may import (the same set `require` has).
const BUILTINS: &[&str] = &[
    "buffer",
    "console",
    "dns",
    "events",
    "fs",
    "fs/promises",
    "net",
    "os",
    "path",
    "process",
    "string_decoder",
    "timers",
    "timers/promises",
    "util",
];

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(ctx, binding, "evaluateModule", evaluate_module)?;
    Ok(())
}

/// `binding.evaluateModule(filename, source)`: declares the module (its imports load now) and
/// evaluates it; returns the promise of its evaluation.
fn evaluate_module<'js>(
    ctx: Ctx<'js>,
    filename: String,
    source: String,
) -> rquickjs::Result<Promise<'js>> {
    let module = Module::declare(ctx.clone(), filename.clone(), source)?;
    set_meta(&module, &filename)?;
    let (_, promise) = module.eval()?;
    Ok(promise)
}

fn set_meta<'js>(module: &Module<'js, Declared>, filename: &str) -> rquickjs::Result<()> {
    let meta = module.meta()?;
    meta.set("url", format!("file://{filename}"))?;
    meta.set("filename", filename)?;
    if let Some(dir) = Path::new(filename).parent() {
        meta.set("dirname", dir.display().to_string())?;
    }
    Ok(())
}

/// Resolves `import 'x'`: a built-in by name (with or without `node:`), or a file relative to
/// the importing module.
pub(crate) struct Resolve;

impl Resolver for Resolve {
    fn resolve<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        base: &str,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<String> {
        let bare = name.strip_prefix("node:").unwrap_or(name);
        if BUILTINS.contains(&bare) {
            return Ok(format!("node:{bare}"));
        }
        if name.starts_with("./") || name.starts_with("../") || name.starts_with('/') {
            let dir = Path::new(base).parent().unwrap_or(Path::new("/"));
            let path: PathBuf = dir.join(name);
            return match std::fs::canonicalize(&path) {
                Ok(p) => Ok(p.display().to_string()),
                Err(_) => Err(Exception::throw_message(
                    ctx,
                    &format!(
                        "Cannot find module '{}' imported from {base}",
                        path.display()
                    ),
                )),
            };
        }
        Err(Exception::throw_message(
            ctx,
            &format!("not supported by this runtime: import '{name}' (packages in ES modules)"),
        ))
    }
}

/// Loads a resolved import: an `.mjs` file as an ES module; a built-in or a CommonJS file as a
/// module whose default export is its `module.exports` and whose named exports are its keys.
pub(crate) struct Load;

impl Loader for Load {
    fn load<'js>(
        &mut self,
        ctx: &Ctx<'js>,
        name: &str,
        _attributes: Option<ImportAttributes<'js>>,
    ) -> rquickjs::Result<Module<'js, Declared>> {
        if name.ends_with(".mjs") {
            let source = std::fs::read_to_string(name)
                .map_err(|e| Exception::throw_message(ctx, &format!("{e}: {name}")))?;
            let module = Module::declare(ctx.clone(), name, source)?;
            set_meta(&module, name)?;
            return Ok(module);
        }
        let specifier = name.strip_prefix("node:").unwrap_or(name);
        let exports = require(ctx, specifier)?;
        let mut source = format!(
            "const m = globalThis[Symbol.for('ch11.require')]({});\nexport default m;\n",
            serde_string(specifier)
        );
        if let Some(object) = exports.as_object() {
            let keys: Vec<String> = object
                .keys::<String>()
                .filter_map(Result::ok)
                .filter(|k| is_identifier(k) && k != "default")
                .collect();
            if !keys.is_empty() {
                source.push_str(&format!("export const {{ {} }} = m;\n", keys.join(", ")));
            }
        }
        Module::declare(ctx.clone(), name, source)
    }
}

/// `require(specifier)` from the current directory, through `js/modules.js`.
fn require<'js>(ctx: &Ctx<'js>, specifier: &str) -> rquickjs::Result<rquickjs::Value<'js>> {
    let symbol: rquickjs::Symbol = ctx.eval("Symbol.for('ch11.require')")?;
    let require: Function = ctx.globals().get(symbol)?;
    require.call((specifier,))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '$')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
}

/// A JavaScript string literal.
fn serde_string(text: &str) -> String {
    let mut out = String::from("'");
    for c in text.chars() {
        match c {
            '\'' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}
