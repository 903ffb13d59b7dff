//! The accept loop of the blocking echo server, in its two modes.

use super::echo::{Echoed, echo};
use crate::sys::accept::AcceptError;
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
    /// Interrupted by a signal, a connection that died in the queue, or out of fds for a moment:
    /// look at the stop flag and call `accept` again.
    TryAgain,
}

/// How long a blocking server waits before it calls `accept` again when the process is out of
/// file descriptors or kernel memory ([`AcceptError::Exhausted`]).
const EXHAUSTED_PAUSE: Duration = Duration::from_millis(100);

// ANCHOR: accept
/// Takes the next connection from the queue, blocking until there is one. The errors are sorted
/// by [`AcceptError::classify`], which every chapter shares; `exhausted` remembers whether we
/// are out of fds (or kernel memory) already, so that the episode is logged when it starts and
/// when it ends, not once per attempt.
fn accept_next(listener: BorrowedFd<'_>, exhausted: &mut bool) -> io::Result<Accepted> {
    match net::accept(listener) {
        Ok((conn, peer)) => {
            if std::mem::take(exhausted) {
                println!("accepting again");
            }
            Ok(Accepted::Client(conn, peer))
        }
        Err(e) => match AcceptError::classify(&e) {
            AcceptError::QueueEmpty | AcceptError::Retry => Ok(Accepted::TryAgain),
            AcceptError::Exhausted => {
                // The connection is still queued, so accepting again at once would fail again
                // at once: a blocking server has nothing to wait on but the clock.
                if !std::mem::replace(exhausted, true) {
                    println!("accept failed: {e}; trying every 100 ms");
                }
                std::thread::sleep(EXHAUSTED_PAUSE);
                Ok(Accepted::TryAgain)
            }
            AcceptError::Fatal => Err(e),
        },
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
    let mut exhausted = false;
    while !signal::stop_requested() {
        let (conn, peer) = match accept_next(listener, &mut exhausted)? {
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
    let mut exhausted = false;
    while !signal::stop_requested() {
        let (conn, peer) = match accept_next(listener, &mut exhausted)? {
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
