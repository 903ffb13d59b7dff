//! `process`'s host functions: the program's arguments and environment, the clock, and
//! `reallyExit`, which ends the program from anywhere in JavaScript.

use super::define;
use crate::scope::request_exit;
use eventloops::sys::ok_or_errno;
use rquickjs::{BigInt, Ctx, Exception, Object};
use std::time::Instant;

/// The Node.js version whose behaviour this runtime copies.
pub(crate) const NODE_VERSION: &str = "v20.20.2";

thread_local! {
    static STARTED: Instant = Instant::now();
}

pub(crate) fn install<'js>(
    ctx: &Ctx<'js>,
    binding: &Object<'js>,
    argv: Vec<String>,
) -> rquickjs::Result<()> {
    binding.set("argv", argv)?;
    let env = Object::new(ctx.clone())?;
    for (key, value) in std::env::vars_os() {
        if let (Some(k), Some(v)) = (key.to_str(), value.to_str()) {
            env.set(k, v)?;
        }
    }
    binding.set("env", env)?;
    binding.set("nodeVersion", NODE_VERSION)?;
    binding.set("engineVersion", engine_version())?;
    binding.set("platform", std::env::consts::OS)?;
    binding.set("osType", os_type())?;
    binding.set(
        "arch",
        match std::env::consts::ARCH {
            "x86_64" => "x64",
            "aarch64" => "arm64",
            other => other,
        },
    )?;
    binding.set("pid", std::process::id())?;
    binding.set(
        "execPath",
        std::env::current_exe()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    )?;
    define(ctx, binding, "cwd", || {
        std::env::current_dir()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|_| "/".into())
    })?;
    define(ctx, binding, "hrtime", hrtime)?;
    define(ctx, binding, "uptime", || {
        STARTED.with(|s| s.elapsed().as_secs_f64())
    })?;
    define(ctx, binding, "isatty", |fd: i32| {
        // SAFETY: isatty only inspects the descriptor number; an invalid one returns 0.
        unsafe { libc::isatty(fd) == 1 }
    })?;
    define(ctx, binding, "hostname", hostname)?;
    define(ctx, binding, "parallelism", || {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    })?;
    define(ctx, binding, "reallyExit", really_exit)?;
    Ok(())
}

fn engine_version() -> String {
    // SAFETY: JS_GetVersion returns a pointer to a static NUL-terminated string.
    let version = unsafe { std::ffi::CStr::from_ptr(rquickjs::qjs::JS_GetVersion()) };
    format!("quickjs-ng {}", version.to_string_lossy())
}

fn os_type() -> &'static str {
    match std::env::consts::OS {
        "linux" => "Linux",
        "macos" => "Darwin",
        "freebsd" => "FreeBSD",
        other => other,
    }
}

/// `process.hrtime.bigint()`: nanoseconds of the monotonic clock, as Node reads it.
fn hrtime<'js>(ctx: Ctx<'js>) -> rquickjs::Result<BigInt<'js>> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid, writable timespec; CLOCK_MONOTONIC always exists.
    let read = ok_or_errno(unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) });
    let nanos = match read {
        // The field types differ between platforms (i64 here, i32 or c_long elsewhere).
        #[allow(clippy::unnecessary_cast)]
        Ok(_) => now.tv_sec as i64 * 1_000_000_000 + now.tv_nsec as i64,
        Err(_) => 0,
    };
    BigInt::from_i64(ctx, nanos)
}

fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: `buf` is writable for its whole length, which we pass.
    let ok = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) } == 0;
    if !ok {
        return "localhost".into();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}

// ANCHOR: really_exit
/// `process.reallyExit(code)`: records the exit code and throws an exception that no `catch`
/// can stop (QuickJS's "uncatchable" errors, made for interrupting scripts), so the JavaScript
/// stack unwinds to the loop at once. The loop then stops calling JavaScript and returns.
fn really_exit<'js>(ctx: Ctx<'js>, code: f64) -> rquickjs::Result<()> {
    request_exit(code as i32);
    let error = Exception::from_message(ctx.clone(), "process.exit()")?;
    // SAFETY: `ctx` is the live context this host function was called in, and `error` a live
    // Error object of that context; the call only sets a flag on the object.
    unsafe {
        rquickjs::qjs::JS_SetUncatchableError(ctx.as_raw().as_ptr(), error.as_value().as_raw());
    }
    Err(ctx.throw(error.into_value()))
}
// ANCHOR_END: really_exit
