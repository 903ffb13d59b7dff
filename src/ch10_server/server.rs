//! The whole server: worker 0 on the main thread (with the signal handles), workers 1 to N-1 on
//! threads of their own, each with its own loop and listener.

use super::config::Config;
use super::supervisor::{self, Supervisor};
use super::worker::{self, Control, Listening, WorkerStats, run_worker};
use crate::ch07_phases::RunMode;
use crate::sys::{net, signal};
use std::io;
use std::net::SocketAddrV4;
use std::os::fd::{AsFd, OwnedFd};
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

/// How many finished handshakes each listener queues (the kernel caps it at `somaxconn`).
pub const BACKLOG: libc::c_int = 4096;

/// How the workers share the port.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListenerMode {
    /// One listener per worker, all bound with `SO_REUSEPORT`: the kernel spreads connections.
    ReusePort,
    /// One listener watched by every worker: each connection wakes them all.
    Shared,
    /// One listener, each worker watching it with `EPOLLEXCLUSIVE`: one wake-up per connection.
    Exclusive,
}

/// What the server is asked to do.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// The address to listen on (port 0: the kernel picks one).
    pub addr: SocketAddrV4,
    /// How many workers (loops, one per thread).
    pub workers: usize,
    /// How the workers share the port.
    pub listener: ListenerMode,
    /// Limits, watermarks and optimisations.
    pub config: Config,
}

type WorkerThread = JoinHandle<io::Result<WorkerStats>>;

// ANCHOR: run
/// Runs the server until Ctrl-C (or `SIGTERM`) and every worker has finished; returns what each
/// worker counted. `on_listening` is called once everything is set up (every worker's loop and
/// listener, and the signal handles) with the address.
pub fn run(
    options: ServerOptions,
    on_listening: impl FnOnce(SocketAddrV4),
) -> io::Result<Vec<WorkerStats>> {
    let (addr, mut listeners) = open_listeners(&options)?;
    let config = Arc::new(options.config);
    let control = Arc::new(Control::default());
    let others = listeners.split_off(1);
    let first = listeners.pop().expect("at least one listener");
    let (mut lp, _) = worker::set_up(0, first, config.clone(), control.clone())?;
    let (finished, finished_sender) = lp.async_init(supervisor::on_worker_finished)?;
    control
        .supervisor
        .set(finished_sender)
        .expect("set once, here");
    let (threads, senders) = start_others(others, &config, &control)?;
    let mut handles = vec![finished];
    for signum in [libc::SIGINT, libc::SIGTERM] {
        handles.push(lp.signal_start(signum, supervisor::on_stop_signal)?);
    }
    lp.data().supervisor = Some(Supervisor {
        others: threads.len(),
        senders,
        handles,
    });
    on_listening(addr);
    let result = lp.run(RunMode::Default);
    if result.is_err() {
        // Worker 0's loop failed: the others would wait for a Ctrl-C that it can no longer
        // pass on. Tell them to stop at once.
        control.stop_requests.store(2, Ordering::SeqCst);
        for sender in lp.data().supervisor.iter().flat_map(|s| &s.senders) {
            let _ = sender.send();
        }
    }
    let mut stats = vec![lp.data().stats];
    drop(lp);
    stats.extend(join(threads)?);
    result?;
    Ok(stats)
}
// ANCHOR_END: run

/// Starts workers 1 to N-1, each on its own thread, and waits until each is ready; returns the
/// threads and the senders that wake them.
fn start_others(
    listeners: Vec<Listening>,
    config: &Arc<Config>,
    control: &Arc<Control>,
) -> io::Result<(Vec<WorkerThread>, Vec<crate::ch09_threadpool::AsyncSender>)> {
    let count = listeners.len();
    let (ready_tx, ready_rx) = mpsc::channel();
    let mut threads = Vec::new();
    for (i, listening) in listeners.into_iter().enumerate() {
        let index = i + 1;
        let (config, control, ready_tx) = (config.clone(), control.clone(), ready_tx.clone());
        let thread = std::thread::Builder::new()
            .name(format!("worker-{index}"))
            .spawn(move || {
                // Signals go to the main thread, whose loop (worker 0's) has the signal handles.
                signal::block_stop_signals_in_this_thread()?;
                run_worker(index, listening, config, control, |ready| {
                    let _ = ready_tx.send(ready);
                })
            })?;
        threads.push(thread);
    }
    drop(ready_tx);
    let mut senders = Vec::new();
    let mut failure = None;
    for ready in ready_rx.iter().take(count) {
        match ready {
            Ok(sender) => senders.push(sender),
            Err(e) => failure = Some(e),
        }
    }
    if senders.len() < count && failure.is_none() {
        failure = Some(io::Error::other(
            "a worker thread ended before it was ready",
        ));
    }
    if let Some(e) = failure {
        control.stop_requests.store(2, Ordering::SeqCst);
        for sender in &senders {
            let _ = sender.send();
        }
        let _ = join(threads);
        return Err(e);
    }
    Ok((threads, senders))
}

/// Opens the listeners: one per worker with `SO_REUSEPORT`, or one shared by all.
fn open_listeners(options: &ServerOptions) -> io::Result<(SocketAddrV4, Vec<Listening>)> {
    let workers = options.workers.max(1);
    let reuseport = options.listener == ListenerMode::ReusePort;
    let addr = if reuseport {
        probe_port(options.addr)?
    } else {
        options.addr
    };
    let first = net::listen_on(addr, reuseport, BACKLOG)?;
    let port = net::local_port(first.as_fd())?;
    let addr = SocketAddrV4::new(*options.addr.ip(), port);
    let mut listeners = Vec::with_capacity(workers);
    match options.listener {
        ListenerMode::ReusePort => {
            listeners.push(Listening::Direct(first));
            for _ in 1..workers {
                listeners.push(Listening::Direct(net::listen_on(addr, true, BACKLOG)?));
            }
        }
        ListenerMode::Shared | ListenerMode::Exclusive => {
            for _ in 0..workers {
                let copy: OwnedFd = first.try_clone()?;
                listeners.push(if options.listener == ListenerMode::Shared {
                    Listening::Direct(copy)
                } else {
                    Listening::Exclusive(copy)
                });
            }
        }
    }
    Ok((addr, listeners))
}

// ANCHOR: probe_port
/// `SO_REUSEPORT` lets *any* socket of the same user bind the port too, so a second copy of
/// the server would not fail with "address in use": it would silently take half of the
/// connections. So we first bind a plain listener (without `SO_REUSEPORT`), which fails if
/// anything listens there, and close it again; port 0 becomes the port the kernel chose.
fn probe_port(addr: SocketAddrV4) -> io::Result<SocketAddrV4> {
    let probe = net::listen_on(addr, false, 1)?;
    let port = net::local_port(probe.as_fd())?;
    Ok(SocketAddrV4::new(*addr.ip(), port))
}
// ANCHOR_END: probe_port

fn join(threads: Vec<WorkerThread>) -> io::Result<Vec<WorkerStats>> {
    let mut stats = Vec::new();
    let mut first_error = None;
    for thread in threads {
        match thread.join() {
            Ok(Ok(s)) => stats.push(s),
            Ok(Err(e)) => {
                first_error.get_or_insert(e);
            }
            Err(_) => {
                first_error.get_or_insert(io::Error::other("a worker thread panicked"));
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(stats),
    }
}
