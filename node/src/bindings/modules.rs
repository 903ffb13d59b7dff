//! What `require` needs from the host: read a file, tell a file from a directory, and compile
//! a module's source into a function of `exports, require, module, __filename, __dirname`
//! (Node's `compileFunction`), or a library file into a function of
//! `exports, module, require, binding`.

use super::define;
use crate::boot::{LIBRARY, eval};
use rquickjs::{Ctx, Exception, Function, Object};

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(ctx, binding, "readFileUtf8", read_file_utf8)?;
    define(
        ctx,
        binding,
        "fileKind",
        |path: String| match std::fs::metadata(&path) {
            Ok(m) if m.is_file() => 1,
            Ok(m) if m.is_dir() => 2,
            _ => 0,
        },
    )?;
    define(ctx, binding, "compileFunction", compile_function)?;
    define(ctx, binding, "compileLibrary", compile_library)?;
    Ok(())
}

fn read_file_utf8<'js>(ctx: Ctx<'js>, path: String) -> rquickjs::Result<String> {
    std::fs::read_to_string(&path).map_err(|e| {
        let message = format!("{e}, open '{path}'");
        Exception::throw_message(&ctx, &message)
    })
}

// ANCHOR: compile
/// Wraps a CommonJS module in its function. The wrapper's first line is the module's first
/// line, so line numbers in stack traces are the file's own.
fn compile_function<'js>(
    ctx: Ctx<'js>,
    source: String,
    filename: String,
) -> rquickjs::Result<Function<'js>> {
    let body = match source.strip_prefix("#!") {
        Some(rest) => format!("//{rest}"), // a shebang line is a comment to Node
        None => source,
    };
    let wrapped =
        format!("(function (exports, require, module, __filename, __dirname) {{ {body}\n}})");
    eval(&ctx, &wrapped, &filename, false)
}
// ANCHOR_END: compile

fn compile_library<'js>(ctx: Ctx<'js>, name: String) -> rquickjs::Result<Function<'js>> {
    let Some((_, source)) = LIBRARY.iter().find(|(n, _)| *n == name) else {
        return Err(Exception::throw_message(
            &ctx,
            &format!("no library file {name}"),
        ));
    };
    let wrapped = format!("(function (exports, module, require, binding) {{ {source}\n}})");
    eval(&ctx, &wrapped, &format!("node:{name}"), false)
}
