//! Node's `fs` functions on the pool, on chapter 8's [`Node`]: [`read_file`](Node::read_file),
//! [`write_file`](Node::write_file), [`stat`](Node::stat), [`unlink`](Node::unlink).
//!
//! Each is built the way Node builds it: out of separate pool requests, one system call each,
//! chained from the loop thread. `fs.readFile` is `open`, then `fstat` (to learn the size), then
//! `read` until the file is read (at most 512 KiB a request), then `close`: four trips through
//! the pool for a small file. Every step's completion arrives in the poll phase; the user's
//! callback runs there too, inside chapter 8's callback scope (the nextTick and microtask
//! queues are drained after it). That is why, inside a `read_file` callback, `set_immediate`
//! runs before `set_timeout(0)`: the check phase comes before the next timers phase.
//!
//! Every function returns `Err` at once only if the pool cannot start (a bad
//! `EVENTLOOPS_THREADPOOL_SIZE`, no threads); everything else, a missing file included, is an
//! [`FsError`] given to the callback, later, never a panic.

mod blocking;
pub mod error;

pub use blocking::FileStat;
pub use error::{DnsError, FsError, errno_name};

use crate::ch08_ticks::Node;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::path::PathBuf;

/// The most one `read` request asks for (Node's `kReadFileBufferLength`).
pub const READ_CHUNK: usize = 512 * 1024;

/// What a `read` request asks for when `fstat` reports no size, as for `/proc` files and
/// pipes (Node's `kReadFileUnknownBufferLength`).
pub const READ_CHUNK_UNKNOWN_SIZE: usize = 64 * 1024;

/// A callback of this layer.
type FsCallback<T> = Box<dyn FnOnce(&mut Node, Result<T, FsError>)>;

impl Node {
    /// Runs `work` on the pool and `after` on the loop thread with its result, turning a
    /// cancelled or panicking request into an [`FsError`] (`ECANCELED`, `EIO`).
    fn fs_request<T: Send + 'static>(
        &mut self,
        syscall: &'static str,
        work: impl FnOnce() -> Result<T, FsError> + Send + 'static,
        after: impl FnOnce(&mut Node, Result<T, FsError>) + 'static,
    ) -> io::Result<()> {
        self.queue_work(work, move |node, result| {
            let result = result.unwrap_or_else(|e| {
                let errno = e.raw_os_error().unwrap_or(libc::EIO);
                Err(FsError::new(errno, syscall, None))
            });
            after(node, result);
        })?;
        Ok(())
    }

    /// Hands a result to the user's callback inside chapter 8's callback scope.
    fn fs_done<T>(&mut self, callback: FsCallback<T>, result: Result<T, FsError>) {
        self.callback_scope(move |node| callback(node, result));
    }

    /// Queues the next request of a chain, or, if even that fails, ends the chain with the
    /// error (the pool is running by then, so it cannot, but no path may panic).
    fn fs_chain<T: Send + 'static, U: 'static>(
        &mut self,
        syscall: &'static str,
        callback: FsCallback<U>,
        work: impl FnOnce() -> Result<T, FsError> + Send + 'static,
        after: impl FnOnce(&mut Node, Result<T, FsError>, FsCallback<U>) + 'static,
    ) {
        let slot = std::rc::Rc::new(std::cell::Cell::new(Some(callback)));
        let mine = slot.clone();
        let queued = self.fs_request(syscall, work, move |node, result| {
            if let Some(callback) = mine.take() {
                after(node, result, callback);
            }
        });
        if let Err(e) = queued
            && let Some(callback) = slot.take()
        {
            let errno = e.raw_os_error().unwrap_or(libc::EIO);
            self.fs_done(callback, Err(FsError::new(errno, syscall, None)));
        }
    }

    // ANCHOR: read_file
    /// `fs.readFile(path, callback)`: the whole file, or an [`FsError`] (`ENOENT` for a missing
    /// file, `EISDIR` for a directory).
    pub fn read_file(
        &mut self,
        path: impl Into<PathBuf>,
        callback: impl FnOnce(&mut Node, Result<Vec<u8>, FsError>) + 'static,
    ) -> io::Result<()> {
        let path = path.into();
        let callback: FsCallback<Vec<u8>> = Box::new(callback);
        let p = path.clone();
        let open = move || blocking::open(&p, libc::O_RDONLY, 0);
        self.fs_request("open", open, move |node, opened| match opened {
            Err(e) => node.fs_done(callback, Err(e)),
            Ok(fd) => node.fs_chain(
                "fstat",
                callback,
                move || {
                    let stat = blocking::fstat(fd.as_fd());
                    stat.map(|s| (fd, s))
                },
                |node, stat, callback| match stat {
                    Err(e) => node.fs_done(callback, Err(e)), // (fd closed on the worker by drop)
                    Ok((fd, stat)) => {
                        // Only a regular file's size can be trusted; others are read to the end.
                        let size = if stat.is_file() { stat.size } else { 0 };
                        read_next(
                            node,
                            ReadState {
                                fd,
                                buf: Vec::new(),
                                size,
                            },
                            callback,
                        );
                    }
                },
            ),
        })
    }
    // ANCHOR_END: read_file

    /// `fs.writeFile(path, data, callback)`: creates or truncates the file (mode `0o666` minus
    /// the umask), writes all of `data` (as many `write` requests as the kernel needs), closes.
    pub fn write_file(
        &mut self,
        path: impl Into<PathBuf>,
        data: impl Into<Vec<u8>>,
        callback: impl FnOnce(&mut Node, Result<(), FsError>) + 'static,
    ) -> io::Result<()> {
        let path = path.into();
        let data = data.into();
        let callback: FsCallback<()> = Box::new(callback);
        let flags = libc::O_WRONLY | libc::O_CREAT | libc::O_TRUNC;
        self.fs_request(
            "open",
            move || blocking::open(&path, flags, 0o666),
            move |node, opened| match opened {
                Err(e) => node.fs_done(callback, Err(e)),
                Ok(fd) => write_next(node, fd, data, 0, callback),
            },
        )
    }

    /// `fs.stat(path, callback)`: one request, `stat(2)` (which follows symbolic links).
    pub fn stat(
        &mut self,
        path: impl Into<PathBuf>,
        callback: impl FnOnce(&mut Node, Result<FileStat, FsError>) + 'static,
    ) -> io::Result<()> {
        let path = path.into();
        let callback: FsCallback<FileStat> = Box::new(callback);
        self.fs_request(
            "stat",
            move || blocking::stat(&path),
            move |node, r| node.fs_done(callback, r),
        )
    }

    /// `fs.unlink(path, callback)`: one request, `unlink(2)`.
    pub fn unlink(
        &mut self,
        path: impl Into<PathBuf>,
        callback: impl FnOnce(&mut Node, Result<(), FsError>) + 'static,
    ) -> io::Result<()> {
        let path = path.into();
        let callback: FsCallback<()> = Box::new(callback);
        self.fs_request(
            "unlink",
            move || blocking::unlink(&path),
            move |node, r| node.fs_done(callback, r),
        )
    }
}

/// A `read_file` between requests: the open file, what was read so far, the size to expect
/// (0: unknown, read to the end).
struct ReadState {
    fd: OwnedFd,
    buf: Vec<u8>,
    size: u64,
}

// ANCHOR: read_next
/// One `read` request, then the next, until the expected size or end of file; then `close`.
fn read_next(node: &mut Node, state: ReadState, callback: FsCallback<Vec<u8>>) {
    let len = if state.size == 0 {
        READ_CHUNK_UNKNOWN_SIZE
    } else {
        (state.size - state.buf.len() as u64).min(READ_CHUNK as u64) as usize
    };
    let read = move || {
        let ReadState { fd, mut buf, size } = state;
        match blocking::read_append(fd.as_fd(), &mut buf, len) {
            Ok(n) => Ok((ReadState { fd, buf, size }, n)),
            Err(e) => Err((fd, e)),
        }
    };
    node.fs_chain(
        "read",
        callback,
        move || Ok(read()),
        |node, r, callback| match r {
            Ok(Ok((state, n))) if n == 0 || state.buf.len() as u64 == state.size => {
                close_then(node, state.fd, Ok(state.buf), callback)
            }
            Ok(Ok((state, _))) => read_next(node, state, callback),
            Ok(Err((fd, e))) => close_then(node, fd, Err(e), callback),
            Err(e) => node.fs_done(callback, Err(e)),
        },
    );
}
// ANCHOR_END: read_next

/// Writes `data[written..]` with one `write` request, and again after a short write; then
/// closes.
fn write_next(
    node: &mut Node,
    fd: OwnedFd,
    data: Vec<u8>,
    written: usize,
    callback: FsCallback<()>,
) {
    let write = move || match blocking::write(fd.as_fd(), &data[written..]) {
        Ok(n) => Ok((fd, data, written + n)),
        Err(e) => Err((fd, e)),
    };
    node.fs_chain(
        "write",
        callback,
        move || Ok(write()),
        |node, r, callback| match r {
            Ok(Ok((fd, data, written))) if written >= data.len() => {
                close_then(node, fd, Ok(()), callback)
            }
            Ok(Ok((fd, data, written))) => write_next(node, fd, data, written, callback),
            Ok(Err((fd, e))) => close_then(node, fd, Err(e), callback),
            Err(e) => node.fs_done(callback, Err(e)),
        },
    );
}

/// A `close` request, then the callback with `result` (or with close's own error, if
/// everything else went well).
fn close_then<T: 'static>(
    node: &mut Node,
    fd: OwnedFd,
    result: Result<T, FsError>,
    callback: FsCallback<T>,
) {
    node.fs_chain(
        "close",
        callback,
        move || blocking::close(fd),
        |node, closed, callback| {
            let result = match (result, closed) {
                (Ok(value), Ok(())) => Ok(value),
                (Ok(_), Err(close_error)) => Err(close_error),
                (Err(first), _) => Err(first),
            };
            node.fs_done(callback, result);
        },
    );
}
