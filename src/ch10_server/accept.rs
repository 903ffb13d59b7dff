//! Accepting connections: every waiting one per wake-up (up to a batch), each given a watcher
//! and a timer; and what to do when `accept` fails.

use super::conn::{Conn, ConnId};
use super::worker::WorkerLoop;
use super::{conn_io, conn_timer, settle};
use crate::ch06_pollers::Interest;
use crate::sys::net;
use std::io;
use std::os::fd::{AsFd, BorrowedFd, OwnedFd};
use std::time::{Duration, Instant};

/// The most connections one wake-up of the listener accepts; the rest wait for the next turn,
/// so a burst of new clients cannot hold up the ones already connected.
pub const ACCEPT_BATCH: usize = 128;

// ANCHOR: classify
/// What a failed `accept` means for the server that called it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcceptError {
    /// About one connection or one moment (`ECONNABORTED`, `EINTR`, `EPERM`, `EPROTO` and the
    /// network errors Linux passes up from the new socket): accept the next one.
    Retry,
    /// Out of a resource (`EMFILE`, `ENFILE`, `ENOBUFS`, `ENOMEM`). The connection stays queued,
    /// so the listener stays readable: accepting again at once would fail again at once, for
    /// ever. Stop watching the listener until one of our connections closes.
    Exhausted,
    /// Anything else (`EBADF`, `EINVAL`, `ENOTSOCK`, ...): a bug. Stop accepting.
    Fatal,
}

/// Sorts an error from `accept` (other than `EAGAIN`, which ends the round).
///
/// The one place this server decides what an accept error means; the book's other servers
/// share the same decision.
pub fn classify_accept_error(err: &io::Error) -> AcceptError {
    match err.raw_os_error() {
        Some(libc::EMFILE | libc::ENFILE | libc::ENOBUFS | libc::ENOMEM) => AcceptError::Exhausted,
        Some(
            libc::ECONNABORTED
            | libc::EINTR
            | libc::EPERM
            | libc::EPROTO
            | libc::ENOPROTOOPT
            | libc::ENETDOWN
            | libc::ENETUNREACH
            | libc::EHOSTDOWN
            | libc::EHOSTUNREACH
            | libc::EOPNOTSUPP
            | libc::ETIMEDOUT,
        ) => AcceptError::Retry,
        #[cfg(any(target_os = "linux", target_os = "android"))]
        Some(libc::ENONET) => AcceptError::Retry,
        _ => AcceptError::Fatal,
    }
}
// ANCHOR_END: classify

/// The listener's state while `accept` is out of file descriptors.
#[derive(Debug, Default)]
pub struct AcceptPause {
    /// When the listener was taken out of the poller; `None` while it is watched.
    pub since: Option<Instant>,
}

impl AcceptPause {
    /// How long a paused listener waits for one of our connections to close before trying
    /// again anyway (`ENFILE` and `ENOMEM` may be freed by other processes).
    pub const RETRY_AFTER: Duration = Duration::from_secs(1);
}

// ANCHOR: on_listener_ready
/// The listener is readable: accept what is waiting, then give each new socket its watcher.
pub fn on_listener_ready(lp: &mut WorkerLoop) {
    let Some(watch) = lp.data().listen_watch else {
        return;
    };
    let Some((watched, worker)) = lp.io_fd_with_data(watch) else {
        return;
    };
    let listener: BorrowedFd<'_> = match worker.listener.as_ref() {
        Some(kept) => kept.as_fd(), // exclusive: the loop watches an epoll in front of it
        None => watched,
    };
    let mut fresh = std::mem::take(&mut worker.accepted);
    let mut exhausted = None;
    for result in net::accept_waiting(listener, ACCEPT_BATCH) {
        match result {
            Ok(conn) => fresh.push(conn),
            Err(e) => match classify_accept_error(&e) {
                AcceptError::Retry => continue,
                AcceptError::Exhausted | AcceptError::Fatal => {
                    exhausted = Some(e);
                    break;
                }
            },
        }
    }
    if fresh.is_empty() && exhausted.is_none() {
        worker.stats.empty_accepts += 1;
    }
    for conn in fresh.drain(..) {
        add_connection(lp, conn);
    }
    lp.data().accepted = fresh;
    if let Some(e) = exhausted {
        pause_accepting(lp, &e);
    }
}
// ANCHOR_END: on_listener_ready

/// Gives a new socket a watcher, a timer, and a place in the table.
fn add_connection(lp: &mut WorkerLoop, socket: OwnedFd) {
    let worker = lp.data();
    if worker.config.tuning.nodelay {
        // Best effort: a socket that refuses it still works, only with Nagle's delays.
        let _ = net::set_nodelay(socket.as_fd(), true);
    }
    let limits = worker.config.limits;
    let now = lp.now();
    let io = lp.io_init(socket);
    let timer = lp.timer_init();
    let worker = lp.data();
    let id = worker.conns.insert(Conn::new(io, timer, now, &limits));
    worker.stats.connections += 1;
    worker.stats.peak_connections = worker.stats.peak_connections.max(worker.conns.len() as u64);
    let started = lp.io_start(io, Interest::READABLE, move |lp, _, event| {
        conn_io::on_event(lp, id, event);
    });
    if started.is_err() {
        settle::close(lp, id);
        return;
    }
    arm_timer(lp, id, timer, limits.idle_timeout);
}

/// Arms connection `id`'s timer to fire `after` from the loop time.
pub fn arm_timer(
    lp: &mut WorkerLoop,
    id: ConnId,
    timer: crate::ch07_phases::Handle,
    after: Duration,
) {
    lp.timer_start(timer, after, Duration::ZERO, move |lp, _| {
        conn_timer::on_timer(lp, id);
    });
}

/// Out of fds: stop watching the listener until a connection closes (or a second passes).
fn pause_accepting(lp: &mut WorkerLoop, err: &io::Error) {
    let now = lp.now();
    let worker = lp.data();
    if worker.pause.since.is_some() {
        return;
    }
    worker.pause.since = Some(now);
    println!(
        "worker {}: accept: {err}; not accepting until a client leaves",
        worker.index
    );
    let Some(watch) = worker.listen_watch else {
        return;
    };
    lp.io_stop(watch);
    let retry = lp.timer_init();
    lp.timer_start(retry, AcceptPause::RETRY_AFTER, Duration::ZERO, |lp, me| {
        lp.close(me, |_, _| {});
        resume_accepting(lp);
    });
    lp.unref(retry);
}

/// A connection closed (or the retry timer fired): watch the listener again if it was paused.
pub fn resume_accepting(lp: &mut WorkerLoop) {
    let worker = lp.data();
    if worker.pause.since.take().is_none() || worker.draining {
        return;
    }
    if let Some(watch) = worker.listen_watch {
        // Cannot fail for a watcher that was registered before; if it does, the listener
        // stays unwatched and the next close tries again.
        if lp.io_set_interest(watch, Interest::READABLE).is_err() {
            lp.data().pause.since = Some(lp.now());
        }
    }
}

pub use super::exclusive::exclusive_epoll;
