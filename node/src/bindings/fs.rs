//! `require('fs')` and `dns.lookup` on chapter 9's thread pool: `fsReadFile`, `fsWriteFile`,
//! `fsStat`, `fsUnlink` and `dnsLookup` hand the work to chapter 9's `Node` layer (each a chain
//! of pool requests, as Node's own), and the callback comes back in the poll phase, inside
//! chapter 8's callback scope. The `Sync` twins block the loop thread, as Node's do.

use super::define;
use super::errno::{error_object, fs_error, throw};
use crate::env::with_loop;
use crate::scope::make_callback;
use crate::trace::What;
use eventloops::ch08_ticks::Node;
use eventloops::ch09_threadpool::fs::{FileStat, FsError};
use rquickjs::{Array, Ctx, Exception, Function, Object, Persistent, TypedArray, Value};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::time::{SystemTime, UNIX_EPOCH};

type Callback = Persistent<Function<'static>>;

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(
        ctx,
        binding,
        "fsReadFile",
        |ctx: Ctx<'js>, path: String, done: Function<'js>| {
            let done = Persistent::save(&ctx, done);
            let started = with_loop(|node| {
                node.read_file(path, move |node, result| {
                    finish(node, "fs.readFile callback", &done, |ctx| match result {
                        Ok(bytes) => Ok(vec![
                            Value::new_null(ctx.clone()),
                            TypedArray::<u8>::new(ctx.clone(), bytes)?.into_value(),
                        ]),
                        Err(e) => Ok(vec![error(ctx, &e)?]),
                    })
                })
            });
            started.map_err(|e| pool_error(&ctx, &e))
        },
    )?;
    define(
        ctx,
        binding,
        "fsWriteFile",
        |ctx: Ctx<'js>, path: String, bytes: TypedArray<'js, u8>, done: Function<'js>| {
            let done = Persistent::save(&ctx, done);
            let bytes = super::buffer::bytes_of(&bytes);
            let started = with_loop(|node| {
                node.write_file(path, bytes, move |node, result| {
                    finish(node, "fs.writeFile callback", &done, |ctx| match result {
                        Ok(()) => Ok(vec![Value::new_null(ctx.clone())]),
                        Err(e) => Ok(vec![error(ctx, &e)?]),
                    })
                })
            });
            started.map_err(|e| pool_error(&ctx, &e))
        },
    )?;
    define(
        ctx,
        binding,
        "fsStat",
        |ctx: Ctx<'js>, path: String, done: Function<'js>| {
            let done = Persistent::save(&ctx, done);
            let started = with_loop(|node| {
                node.stat(path, move |node, result| {
                    finish(node, "fs.stat callback", &done, |ctx| match result {
                        Ok(stat) => Ok(vec![Value::new_null(ctx.clone()), stat_array(ctx, &stat)?]),
                        Err(e) => Ok(vec![error(ctx, &e)?]),
                    })
                })
            });
            started.map_err(|e| pool_error(&ctx, &e))
        },
    )?;
    define(
        ctx,
        binding,
        "fsUnlink",
        |ctx: Ctx<'js>, path: String, done: Function<'js>| {
            let done = Persistent::save(&ctx, done);
            let started = with_loop(|node| {
                node.unlink(path, move |node, result| {
                    finish(node, "fs.unlink callback", &done, |ctx| match result {
                        Ok(()) => Ok(vec![Value::new_null(ctx.clone())]),
                        Err(e) => Ok(vec![error(ctx, &e)?]),
                    })
                })
            });
            started.map_err(|e| pool_error(&ctx, &e))
        },
    )?;
    define(ctx, binding, "dnsLookup", dns_lookup)?;
    define(
        ctx,
        binding,
        "fsReadFileSync",
        |ctx: Ctx<'js>, path: String| match std::fs::read(&path) {
            Ok(bytes) => TypedArray::<u8>::new(ctx, bytes),
            Err(e) => Err(throw(&ctx, fs_error(&ctx, &e, "open", &path)?)),
        },
    )?;
    define(
        ctx,
        binding,
        "fsWriteFileSync",
        |ctx: Ctx<'js>, path: String, bytes: TypedArray<'js, u8>| match std::fs::write(
            &path,
            super::buffer::bytes_of(&bytes),
        ) {
            Ok(()) => Ok(()),
            Err(e) => Err(throw(&ctx, fs_error(&ctx, &e, "open", &path)?)),
        },
    )?;
    define(
        ctx,
        binding,
        "fsStatSync",
        |ctx: Ctx<'js>, path: String| match std::fs::metadata(&path) {
            Ok(m) => stat_array(&ctx, &stat_of(&m)),
            Err(e) => Err(throw(&ctx, fs_error(&ctx, &e, "stat", &path)?)),
        },
    )?;
    define(
        ctx,
        binding,
        "fsUnlinkSync",
        |ctx: Ctx<'js>, path: String| {
            std::fs::remove_file(&path).map_err(|e| match fs_error(&ctx, &e, "unlink", &path) {
                Ok(v) => throw(&ctx, v),
                Err(e) => e,
            })
        },
    )?;
    define(ctx, binding, "fsExistsSync", |path: String| {
        std::fs::metadata(path).is_ok()
    })?;
    Ok(())
}

/// Calls the JavaScript callback of a finished pool request (we are in the poll phase, inside
/// chapter 9's callback scope, which drains the queues after us).
fn finish(
    node: &mut Node,
    what: &str,
    done: &Callback,
    args: impl for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<Vec<Value<'js>>>,
) {
    make_callback(node, What::Io(what.to_string()), |ctx, _| {
        let function = done.clone().restore(ctx)?;
        let args = args(ctx)?;
        let mut call = rquickjs::function::Args::new(ctx.clone(), args.len());
        call.push_args(args)?;
        function.call_arg::<()>(call)
    });
}

/// Node's error object for a failed fs call: `ENOENT: no such file or directory, open 'x'`.
fn error<'js>(ctx: &Ctx<'js>, e: &FsError) -> rquickjs::Result<Value<'js>> {
    let io = io::Error::from_raw_os_error(e.errno);
    let object = error_object(ctx, &io, e.syscall, &e.to_string())?;
    object.set("code", e.code())?;
    if let Some(path) = &e.path {
        object.set("path", path.display().to_string())?;
    }
    Ok(object.into_value())
}

/// The pool could not start (a bad `EVENTLOOPS_THREADPOOL_SIZE`): thrown, as nothing was queued.
fn pool_error<'js>(ctx: &Ctx<'js>, e: &io::Error) -> rquickjs::Error {
    Exception::throw_internal(ctx, &format!("the thread pool could not start: {e}"))
}

fn ms(time: SystemTime) -> f64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(d) => d.as_secs_f64() * 1000.0,
        Err(e) => -e.duration().as_secs_f64() * 1000.0,
    }
}

/// `[dev, mode, nlink, uid, gid, ino, size, atimeMs, mtimeMs, ctimeMs]` for `fs.Stats`.
fn stat_array<'js>(ctx: &Ctx<'js>, stat: &FileStat) -> rquickjs::Result<Value<'js>> {
    let out = Array::new(ctx.clone())?;
    let fields = [
        stat.dev as f64,
        f64::from(stat.mode),
        stat.nlink as f64,
        f64::from(stat.uid),
        f64::from(stat.gid),
        stat.ino as f64,
        stat.size as f64,
        ms(stat.atime),
        ms(stat.mtime),
        ms(stat.ctime),
    ];
    for (i, value) in fields.into_iter().enumerate() {
        out.set(i, value)?;
    }
    Ok(out.into_value())
}

fn stat_of(m: &std::fs::Metadata) -> FileStat {
    let time = |secs: i64, nanos: i64| {
        let base = UNIX_EPOCH;
        let d = std::time::Duration::new(secs.unsigned_abs(), nanos.clamp(0, 999_999_999) as u32);
        if secs >= 0 { base + d } else { base - d }
    };
    FileStat {
        dev: m.dev(),
        ino: m.ino(),
        mode: m.mode(),
        nlink: m.nlink(),
        uid: m.uid(),
        gid: m.gid(),
        size: m.size(),
        atime: time(m.atime(), m.atime_nsec()),
        mtime: time(m.mtime(), m.mtime_nsec()),
        ctime: time(m.ctime(), m.ctime_nsec()),
    }
}

/// `binding.dnsLookup(host, done)`: chapter 9's `lookup` (getaddrinfo on the pool); `done(err,
/// [[address, family], ...])`.
fn dns_lookup<'js>(ctx: Ctx<'js>, host: String, done: Function<'js>) -> rquickjs::Result<()> {
    let done = Persistent::save(&ctx, done);
    let started = with_loop(|node| {
        node.lookup(&host, move |node, result| {
            finish(node, "dns.lookup callback", &done, |ctx| match result {
                Ok(addresses) => {
                    let list = Array::new(ctx.clone())?;
                    for (i, ip) in addresses.iter().enumerate() {
                        let pair = Array::new(ctx.clone())?;
                        pair.set(0, ip.to_string())?;
                        pair.set(1, if ip.is_ipv4() { 4 } else { 6 })?;
                        list.set(i, pair)?;
                    }
                    Ok(vec![Value::new_null(ctx.clone()), list.into_value()])
                }
                Err(e) => {
                    let err = Exception::from_message(
                        ctx.clone(),
                        &format!("getaddrinfo {} {}", e.code, e.hostname),
                    )?
                    .into_object();
                    err.set("code", e.code)?;
                    err.set("syscall", "getaddrinfo")?;
                    err.set("hostname", e.hostname.clone())?;
                    Ok(vec![err.into_value()])
                }
            })
        })
    });
    started.map_err(|e| pool_error(&ctx, &e))
}
