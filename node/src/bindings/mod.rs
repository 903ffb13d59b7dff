//! The host functions: the `binding` object our JavaScript library is built on (Node calls
//! its equivalents "internal bindings": `internalBinding('timers')`, `'tcp_wrap'`, `'fs'`...).
//! One file per area; each adds its functions to the object.

pub(crate) mod buffer;
pub(crate) mod errno;
pub(crate) mod esm;
pub(crate) mod fs;
pub(crate) mod keys;
pub(crate) mod modules;
pub(crate) mod net;
pub(crate) mod process;
pub(crate) mod socket;
pub(crate) mod stdio;
pub(crate) mod tasks;
pub(crate) mod timers;

use rquickjs::function::IntoJsFunc;
use rquickjs::{Ctx, Function, Object};

/// Builds the `binding` object.
pub(crate) fn install<'js>(ctx: &Ctx<'js>, argv: Vec<String>) -> rquickjs::Result<Object<'js>> {
    let binding = Object::new(ctx.clone())?;
    stdio::install(ctx, &binding)?;
    tasks::install(ctx, &binding)?;
    timers::install(ctx, &binding)?;
    process::install(ctx, &binding, argv)?;
    modules::install(ctx, &binding)?;
    buffer::install(ctx, &binding)?;
    fs::install(ctx, &binding)?;
    net::install(ctx, &binding)?;
    esm::install(ctx, &binding)?;
    Ok(binding)
}

/// Adds the host function `f` to `binding` as `name`.
pub(crate) fn define<'js, P, F>(
    ctx: &Ctx<'js>,
    binding: &Object<'js>,
    name: &str,
    f: F,
) -> rquickjs::Result<()>
where
    F: IntoJsFunc<'js, P> + 'js,
{
    let function = Function::new(ctx.clone(), f)?.with_name(name)?;
    binding.set(name, function)
}
