//! Chapter 9: a thread pool for what the kernel cannot poll, wakeups that coalesce, and signals.
//!
//! Everything here extends chapter 7's [`Loop`](crate::ch07_phases::Loop), so it works on every
//! loop built on it, chapter 8's `Node` included.
//!
//! # The API, in libuv's terms
//!
//! | this crate | libuv | where |
//! | --- | --- | --- |
//! | [`Wakeup`]: `new`, `pipe`, `fd`, `wake`, `drain` | the loop's async eventfd / pipe | [`wakeup`] |
//! | `lp.async_init(cb) -> io::Result<(Handle, AsyncSender)>` | `uv_async_init` | [`async_handle`] |
//! | [`AsyncSender::send`] (any thread, coalescing) | `uv_async_send` | [`async_handle`] |
//! | `lp.signal_start(signum, cb(&mut Loop, Handle, signum)) -> io::Result<Handle>` | `uv_signal_init` + `uv_signal_start` | [`signal`] |
//! | `lp.queue_work(work, after_work) -> io::Result<WorkId>` | `uv_queue_work` | [`work`] |
//! | `lp.cancel_work(id) -> io::Result<()>` (`EBUSY` once started) | `uv_cancel` | [`work`] |
//! | `lp.start_threadpool(PoolSize)`, [`PoolSize::from_env`] | `UV_THREADPOOL_SIZE` | [`pool_size`] |
//! | [`ThreadPool`]: workers, one queue, a mutex, a condvar | `src/threadpool.c` | [`pool`] |
//!
//! And Node's layer on the pool, on chapter 8's `Node` (callbacks run in the poll phase, inside
//! chapter 8's callback scope; each returns `Err` at once only when the pool cannot start):
//!
//! | this crate | Node |
//! | --- | --- |
//! | `node.read_file(path, cb(&mut Node, Result<Vec<u8>, FsError>)) -> io::Result<()>` | `fs.readFile` |
//! | `node.write_file(path, data, cb(&mut Node, Result<(), FsError>)) -> io::Result<()>` | `fs.writeFile` |
//! | `node.stat(path, cb(&mut Node, Result<FileStat, FsError>)) -> io::Result<()>` | `fs.stat` |
//! | `node.unlink(path, cb(&mut Node, Result<(), FsError>)) -> io::Result<()>` | `fs.unlink` |
//! | `node.lookup(host, cb(&mut Node, Result<Vec<IpAddr>, DnsError>)) -> io::Result<()>` | `dns.lookup(host, {all: true})` |
//!
//! [`FsError`](fs::FsError) carries Node's `code` (`ENOENT`), `syscall`, `path` and message;
//! [`DnsError`](fs::DnsError) Node's `code` (`ENOTFOUND`) and hostname.
//!
//! Every handle here is an ordinary chapter-7 handle: close it with `lp.close(handle, cb)`,
//! `lp.unref(handle)` it so it does not keep the loop alive. Their callbacks run in the poll
//! phase, because underneath each is an I/O watcher on an fd.

pub mod async_handle;
pub mod bench;
pub mod demo;
pub mod dns;
pub mod fs;
pub mod pool;
pub mod pool_size;
pub mod puzzles;
pub mod signal;
pub mod wakeup;
pub mod work;

pub use async_handle::AsyncSender;
pub use pool::ThreadPool;
pub use pool_size::{POOL_SIZE_VAR, PoolSize};
pub use wakeup::Wakeup;
pub use work::WorkId;

#[cfg(test)]
mod tests;
