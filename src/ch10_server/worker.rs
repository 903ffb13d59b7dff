//! One worker: a thread with its own chapter-7 loop, its own listener and its own connections.
//! Workers share nothing but the read-only [`Config`] and the stop signal, so they never lock.

use super::accept::{self, AcceptPause};
use super::config::Config;
use super::conn::Conns;
use super::date::DateCache;
use super::shutdown;
use super::supervisor::Supervisor;
use crate::ch06_pollers::Interest;
use crate::ch07_phases::{Handle, Loop, RunMode};
use crate::ch09_threadpool::AsyncSender;
use std::io;
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// The size of a worker's read buffer: one read takes at most this much.
pub const READ_SIZE: usize = 64 * 1024;

/// The loop a worker runs: chapter 7's, with the worker's state as its data.
pub type WorkerLoop = Loop<Worker>;

/// What a worker counted, reported when it stops.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct WorkerStats {
    /// Connections accepted.
    pub connections: u64,
    /// Requests answered.
    pub requests: u64,
    /// Times the listener woke this worker and `accept` found no connection (another worker
    /// took it first: the thundering herd).
    pub empty_accepts: u64,
    /// The most connections open at once.
    pub peak_connections: u64,
}

/// What the workers share to stop: how many times Ctrl-C was pressed, and how many workers
/// have finished (each tells worker 0, which holds the signal handles, through an async handle).
#[derive(Debug, Default)]
pub struct Control {
    /// Ctrl-C (or `SIGTERM`) count: 1 drains, 2 or more closes everything at once.
    pub stop_requests: AtomicUsize,
    /// Workers (other than worker 0) whose loop has ended.
    pub finished: AtomicUsize,
    /// Wakes worker 0 when another worker finishes.
    pub supervisor: OnceLock<AsyncSender>,
}

/// How a worker watches its listener.
#[derive(Debug)]
pub enum Listening {
    /// The listener itself is in the worker's poller (its own `SO_REUSEPORT` socket, or one
    /// shared by every worker: then all of them wake for each connection).
    Direct(OwnedFd),
    /// A listener shared by every worker, watched through a small epoll of the worker's own
    /// registered with `EPOLLEXCLUSIVE`, so the kernel wakes one worker per connection.
    Exclusive(OwnedFd),
}

// ANCHOR: worker
/// A worker's state: the loop's data.
pub struct Worker {
    /// Which worker this is (0-based), for its report.
    pub index: usize,
    /// The settings.
    pub config: Arc<Config>,
    /// The open connections.
    pub conns: Conns,
    /// Every read lands here first; only an incomplete request is copied to its connection.
    pub scratch: Vec<u8>,
    /// The responses of the batch being answered, written with one `write`.
    pub out: Vec<u8>,
    /// Where each response ends in `out` (for `--without batch-write`).
    pub ends: Vec<usize>,
    /// The `Date` header.
    pub date: DateCache,
    /// The listening socket, when the loop watches an exclusive epoll in front of it instead
    /// (otherwise the listener's watcher owns it).
    pub listener: Option<OwnedFd>,
    /// The watcher of the listener (or of the exclusive epoll in front of it), while accepting.
    pub listen_watch: Option<Handle>,
    /// Whether the listener is watched through an `EPOLLEXCLUSIVE` epoll.
    pub exclusive: bool,
    /// Accepting is paused (out of file descriptors).
    pub pause: AcceptPause,
    /// Sockets accepted in this round, before they get watchers (reused).
    pub accepted: Vec<OwnedFd>,
    /// Shutting down: no accepting, every response closes its connection.
    pub draining: bool,
    /// The async handle the main thread wakes us through to stop.
    pub stop_handle: Option<Handle>,
    /// Ends the grace period after Ctrl-C.
    pub grace_timer: Option<Handle>,
    /// Shared with the main thread.
    pub control: Arc<Control>,
    /// The counts reported at the end.
    pub stats: WorkerStats,
    /// Worker 0 only: the signal handles and the other workers (see [`supervisor`]).
    ///
    /// [`supervisor`]: super::supervisor
    pub supervisor: Option<Supervisor>,
}
// ANCHOR_END: worker

/// Runs worker `index` (1 and up: worker 0 runs on the main thread, see
/// [`server`](super::server)) on `listening` until it is told to stop. `ready` is called once the
/// loop is set up, with the sender that wakes it (or the error that kept it from starting).
pub fn run_worker(
    index: usize,
    listening: Listening,
    config: Arc<Config>,
    control: Arc<Control>,
    ready: impl FnOnce(io::Result<AsyncSender>),
) -> io::Result<WorkerStats> {
    let mut lp = match set_up(index, listening, config, control.clone()) {
        Ok((lp, sender)) => {
            ready(Ok(sender));
            lp
        }
        Err(e) => {
            ready(Err(io::Error::new(e.kind(), e.to_string())));
            return Err(e);
        }
    };
    let result = lp.run(RunMode::Default);
    control.finished.fetch_add(1, Ordering::SeqCst);
    if let Some(supervisor) = control.supervisor.get() {
        // Fails only if worker 0 is gone already; then nobody is waiting for us.
        let _ = supervisor.send();
    }
    result?;
    Ok(lp.data().stats)
}

/// Creates worker `index`'s loop, watching its listener, with the async handle that asks it to
/// stop; returns the loop and that handle's sender.
pub fn set_up(
    index: usize,
    listening: Listening,
    config: Arc<Config>,
    control: Arc<Control>,
) -> io::Result<(WorkerLoop, AsyncSender)> {
    let tuning = config.tuning;
    let (listener, exclusive) = match listening {
        Listening::Direct(fd) => (fd, false),
        Listening::Exclusive(fd) => (fd, true),
    };
    let mut lp: WorkerLoop = Loop::with_data(Worker {
        index,
        config,
        conns: Conns::default(),
        scratch: vec![0; READ_SIZE],
        out: Vec::with_capacity(READ_SIZE),
        ends: Vec::new(),
        date: DateCache::new(tuning.date_cache),
        listener: None,
        listen_watch: None,
        exclusive,
        pause: AcceptPause::default(),
        accepted: Vec::new(),
        draining: false,
        stop_handle: None,
        grace_timer: None,
        control,
        stats: WorkerStats::default(),
        supervisor: None,
    })?;
    let (watched, kept) = if exclusive {
        (accept::exclusive_epoll(&listener)?, Some(listener))
    } else {
        (listener, None)
    };
    let watch = lp.io_init(watched);
    lp.set_name(watch, "listener");
    lp.io_start(watch, Interest::READABLE, |lp, _, _| {
        accept::on_listener_ready(lp)
    })?;
    let (stop_handle, sender) = lp.async_init(shutdown::on_stop_request)?;
    let worker = lp.data();
    worker.listener = kept;
    worker.listen_watch = Some(watch);
    worker.stop_handle = Some(stop_handle);
    Ok((lp, sender))
}
