//! The accept loop of the blocking echo server, in its two modes.

use super::echo::{Echoed, echo};
use crate::sys::{net, ok_or_errno, signal};
use crate::text::counted;
use std::collections::HashMap;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

/// How the server shares itself among clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Serve one client from `accept` to end of file, then the next: the second client waits.
    OneAtATime,
    /// Hand every accepted connection to a new thread and go straight back to `accept`.
    ThreadPerClient,
}

/// What the server did, printed as its last line when it stops.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Connections accepted.
    pub clients: u64,
    /// Bytes echoed back, over all connections.
    pub bytes: u64,
}

/// The outcome of one `accept`, once the errors that are not the server's fault are sorted out.
enum Accepted {
    Client(OwnedFd, std::net::SocketAddrV4),
    /// Interrupted by a signal, or a connection that died in the queue: look at the stop flag and
    /// call `accept` again.
    TryAgain,
}

/// `ENONET` ("machine is not on the network") exists on Linux only. Elsewhere `accept` never
/// reports it, and a value that is no errno stands in, so the list below reads the same on
/// every system.
#[cfg(any(target_os = "linux", target_os = "android"))]
use libc::ENONET;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const ENONET: libc::c_int = -1;

// ANCHOR: accept
/// Whether an error from `accept` is about one connection or one moment, not about the
/// listening socket, so that the server should carry on and call `accept` again.
///
/// * `EINTR`: a signal woke us (Ctrl-C); the caller looks at the stop flag first.
/// * `ECONNABORTED`: the client gave up while its connection sat in the queue.
/// * `EPROTO`, `ENETDOWN`, `ENOPROTOOPT`, `EHOSTDOWN`, `ENONET`, `EHOSTUNREACH`, `EOPNOTSUPP`,
///   `ENETUNREACH`: Linux reports a network error already pending on the new connection through
///   `accept`; `accept(2)` says to treat these like `EAGAIN` and retry.
/// * `EMFILE`/`ENFILE`: out of file descriptors (this process's limit, or the system's). The
///   connection stays queued until some other fd is closed.
///
/// Anything else (`EBADF`, `EINVAL`, `ENOTSOCK`, …) is a bug in the server: give up.
pub fn accept_should_retry(err: &io::Error) -> bool {
    matches!(
        err.raw_os_error(),
        Some(
            libc::EINTR
                | libc::ECONNABORTED
                | libc::EPROTO
                | libc::ENETDOWN
                | libc::ENOPROTOOPT
                | libc::EHOSTDOWN
                | ENONET
                | libc::EHOSTUNREACH
                | libc::EOPNOTSUPP
                | libc::ENETUNREACH
                | libc::EMFILE
                | libc::ENFILE
        )
    )
}

/// Takes the next connection from the queue, blocking until there is one.
fn accept_next(listener: BorrowedFd<'_>) -> io::Result<Accepted> {
    match net::accept(listener) {
        Ok((conn, peer)) => Ok(Accepted::Client(conn, peer)),
        Err(e) if matches!(e.raw_os_error(), Some(libc::EMFILE | libc::ENFILE)) => {
            // The connection is still queued, so accepting again at once would fail again at
            // once: pause instead of spinning.
            println!("accept failed: {e}; pausing 100 ms");
            std::thread::sleep(Duration::from_millis(100));
            Ok(Accepted::TryAgain)
        }
        Err(e) if accept_should_retry(&e) => Ok(Accepted::TryAgain),
        Err(e) => Err(e),
    }
}
// ANCHOR_END: accept

/// Runs the echo server on `listener` until Ctrl-C (or `SIGTERM`), then returns what it did.
///
/// Call [`signal::install_stop_handler`] first: the loop relies on a blocking call returning
/// `EINTR` when the signal arrives.
pub fn serve(listener: BorrowedFd<'_>, mode: Mode) -> io::Result<Summary> {
    match mode {
        Mode::OneAtATime => serve_one_at_a_time(listener),
        Mode::ThreadPerClient => serve_thread_per_client(listener),
    }
}

// ANCHOR: one_at_a_time
fn serve_one_at_a_time(listener: BorrowedFd<'_>) -> io::Result<Summary> {
    let mut summary = Summary::default();
    while !signal::stop_requested() {
        let (conn, peer) = match accept_next(listener)? {
            Accepted::Client(conn, peer) => (conn, peer),
            Accepted::TryAgain => continue,
        };
        summary.clients += 1;
        let id = summary.clients;
        println!("client {id} connected from {peer}");
        // While this runs, nobody calls accept: the next client waits in the kernel's queue.
        match echo(conn.as_fd(), &signal::stop_requested) {
            Ok(Echoed::PeerClosed(bytes)) => {
                summary.bytes += bytes;
                let echoed = counted(bytes, "byte", "bytes");
                println!("client {id} disconnected ({echoed} echoed)");
            }
            Ok(Echoed::Stopped(bytes)) => {
                summary.bytes += bytes;
                println!("client {id} closed: the server is stopping");
            }
            Err(e) => println!("client {id} dropped: {e}"),
        }
        // `conn` is dropped here: close(2).
    }
    Ok(summary)
}
// ANCHOR_END: one_at_a_time

// ANCHOR: thread_per_client
fn serve_thread_per_client(listener: BorrowedFd<'_>) -> io::Result<Summary> {
    // The open connections, so that on Ctrl-C we can wake their threads (see `wake_all`).
    let open: Arc<Mutex<HashMap<u64, Arc<OwnedFd>>>> = Arc::default();
    let bytes = Arc::new(AtomicU64::new(0));
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    let mut clients = 0;
    while !signal::stop_requested() {
        let (conn, peer) = match accept_next(listener)? {
            Accepted::Client(conn, peer) => (conn, peer),
            Accepted::TryAgain => continue,
        };
        clients += 1;
        let id = clients;
        println!("client {id} connected from {peer}");
        let conn = Arc::new(conn);
        open.lock().unwrap().insert(id, Arc::clone(&conn));
        let (still_open, bytes) = (Arc::clone(&open), Arc::clone(&bytes));
        let worker = std::thread::Builder::new().spawn(move || {
            // Ctrl-C must interrupt the main thread's `accept`, not this thread's `read`.
            if let Err(e) = signal::block_stop_signals_in_this_thread() {
                println!("client {id}: cannot block signals: {e}");
            }
            match echo(conn.as_fd(), &|| false) {
                Ok(Echoed::PeerClosed(n) | Echoed::Stopped(n)) => {
                    bytes.fetch_add(n, Ordering::Relaxed);
                    println!(
                        "client {id} disconnected ({} echoed)",
                        counted(n, "byte", "bytes")
                    );
                }
                Err(e) => println!("client {id} dropped: {e}"),
            }
            still_open.lock().unwrap().remove(&id);
        });
        match worker {
            Ok(worker) => workers.push(worker),
            Err(e) => {
                // Out of threads (EAGAIN: `ulimit -u`, `pids.max`) or memory for a stack: this
                // client is turned away, the others carry on.
                println!("client {id} dropped: cannot start a thread: {e}");
                open.lock().unwrap().remove(&id);
            }
        }
        // Forget the threads that have finished, so a long run does not pile up handles.
        workers.retain(|w| !w.is_finished());
    }
    wake_all(&open.lock().unwrap());
    for worker in workers {
        let _ = worker.join();
    }
    Ok(Summary {
        clients,
        bytes: bytes.load(Ordering::Relaxed),
    })
}
// ANCHOR_END: thread_per_client

/// Wakes every worker blocked in `read`: `shutdown(SHUT_RDWR)` makes a pending `read` return 0
/// (end of file), so each thread finishes its echo loop and can be joined.
///
/// Closing the fd instead would not do: another thread's blocking `read` on it is not woken on
/// Linux, and the number could be reused by the next `accept` while a thread still uses it.
fn wake_all(open: &HashMap<u64, Arc<OwnedFd>>) {
    for conn in open.values() {
        // Errors (ENOTCONN: the peer already left) mean there is nothing to wake.
        let _ = shutdown(conn.as_fd());
    }
}

/// `shutdown(fd, SHUT_RDWR)`: ends both directions of a connection without closing the fd.
pub fn shutdown(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: plain integer arguments; `fd` is open for the duration of the borrow.
    ok_or_errno(unsafe { libc::shutdown(fd.as_raw_fd(), libc::SHUT_RDWR) })?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn per_connection_accept_errors_are_retried_and_bugs_are_not() {
        for errno in [libc::EINTR, libc::ECONNABORTED, libc::EPROTO, libc::EMFILE] {
            assert!(accept_should_retry(&io::Error::from_raw_os_error(errno)));
        }
        for errno in [libc::EBADF, libc::EINVAL, libc::ENOTSOCK] {
            assert!(!accept_should_retry(&io::Error::from_raw_os_error(errno)));
        }
    }
}
