//! System errors as Node reports them: `err.code` is the errno's name (`ECONNREFUSED`),
//! `err.errno` its negative number (libuv's convention), and the message says which call failed
//! (`connect ECONNREFUSED 127.0.0.1:9`, or for files `ENOENT: no such file or directory, open
//! 'x'`). The names and texts are libuv's (`uv_err_name`, `uv_strerror`).

use rquickjs::{Ctx, Exception, Object, Value};
use std::io;

/// The name and libuv's description of an errno.
pub(crate) fn describe(errno: i32) -> (&'static str, &'static str) {
    match errno {
        libc::EACCES => ("EACCES", "permission denied"),
        libc::EADDRINUSE => ("EADDRINUSE", "address already in use"),
        libc::EADDRNOTAVAIL => ("EADDRNOTAVAIL", "address not available"),
        libc::EAGAIN => ("EAGAIN", "resource temporarily unavailable"),
        libc::EBADF => ("EBADF", "bad file descriptor"),
        libc::ECANCELED => ("ECANCELED", "operation canceled"),
        libc::ECONNABORTED => ("ECONNABORTED", "software caused connection abort"),
        libc::ECONNREFUSED => ("ECONNREFUSED", "connection refused"),
        libc::ECONNRESET => ("ECONNRESET", "connection reset by peer"),
        libc::EEXIST => ("EEXIST", "file already exists"),
        libc::EHOSTUNREACH => ("EHOSTUNREACH", "host is unreachable"),
        libc::EINVAL => ("EINVAL", "invalid argument"),
        libc::EISDIR => ("EISDIR", "illegal operation on a directory"),
        libc::EMFILE => ("EMFILE", "too many open files"),
        libc::ENETUNREACH => ("ENETUNREACH", "network is unreachable"),
        libc::ENOENT => ("ENOENT", "no such file or directory"),
        libc::ENOSPC => ("ENOSPC", "no space left on device"),
        libc::ENOTCONN => ("ENOTCONN", "socket is not connected"),
        libc::ENOTDIR => ("ENOTDIR", "not a directory"),
        libc::ENOTEMPTY => ("ENOTEMPTY", "directory not empty"),
        libc::EPERM => ("EPERM", "operation not permitted"),
        libc::EPIPE => ("EPIPE", "broken pipe"),
        libc::ETIMEDOUT => ("ETIMEDOUT", "connection timed out"),
        _ => ("EIO", "i/o error"),
    }
}

fn errno_of(error: &io::Error) -> i32 {
    error.raw_os_error().unwrap_or(libc::EIO)
}

/// A JavaScript `Error` for a failed system call, Node's way: `message` is the text, and the
/// object gets `errno`, `code` and `syscall`.
pub(crate) fn error_object<'js>(
    ctx: &Ctx<'js>,
    error: &io::Error,
    syscall: &str,
    message: &str,
) -> rquickjs::Result<Object<'js>> {
    let errno = errno_of(error);
    let (code, _) = describe(errno);
    let exception = Exception::from_message(ctx.clone(), message)?;
    let object = exception.into_object();
    object.set("errno", -errno)?;
    object.set("code", code)?;
    object.set("syscall", syscall)?;
    Ok(object)
}

/// `connect ECONNREFUSED`: the network style of message.
pub(crate) fn net_error<'js>(
    ctx: &Ctx<'js>,
    error: &io::Error,
    syscall: &str,
    detail: &str,
) -> rquickjs::Result<Value<'js>> {
    let (code, _) = describe(errno_of(error));
    let message = if detail.is_empty() {
        format!("{syscall} {code}")
    } else {
        format!("{syscall} {code} {detail}")
    };
    Ok(error_object(ctx, error, syscall, &message)?.into_value())
}

/// `ENOENT: no such file or directory, open 'x'`: the file style of message.
pub(crate) fn fs_error<'js>(
    ctx: &Ctx<'js>,
    error: &io::Error,
    syscall: &str,
    path: &str,
) -> rquickjs::Result<Value<'js>> {
    let (code, text) = describe(errno_of(error));
    let message = format!("{code}: {text}, {syscall} '{path}'");
    let object = error_object(ctx, error, syscall, &message)?;
    object.set("path", path)?;
    Ok(object.into_value())
}

/// Throws `value` from a host function.
pub(crate) fn throw<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> rquickjs::Error {
    ctx.throw(value)
}
