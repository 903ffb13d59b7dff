//! Chapter 9 exercises: the coalescing send of an async handle, the worker loop of a thread
//! pool, and the async-signal-safe handler of a self-pipe.
//!
//! Read `book/src/ch09-threadpool.md` first. Check your work with `cargo test -p exercises-ch09`.

use eventloops::ch09_threadpool::Wakeup;
use std::collections::VecDeque;
use std::io;
use std::os::fd::{AsRawFd, OwnedFd};
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;

// ---- ch09.1: the coalescing send ---------------------------------------------------------------

/// The two halves of an async handle: a flag that says "a callback is owed", and the fd that
/// wakes the loop (an eventfd on Linux).
pub struct Notifier {
    /// Set by the first send, cleared by [`receive`](Notifier::receive).
    pub pending: AtomicBool,
    /// What the loop watches; `wakeup.wake()` makes it readable (one system call).
    pub wakeup: Wakeup,
}

impl Notifier {
    /// A notifier with nothing pending, on the OS's native wakeup.
    pub fn new() -> io::Result<Notifier> {
        Ok(Notifier {
            pending: AtomicBool::new(false),
            wakeup: Wakeup::new()?,
        })
    }

    /// The loop's side, when the wakeup fd is readable: drain it, then clear the flag. Returns
    /// whether a callback is owed. (Drain first: the other order can lose a wakeup.)
    pub fn receive(&self) -> bool {
        let _ = self.wakeup.drain();
        self.pending.swap(false, Ordering::SeqCst)
    }

    /// Exercise ch09.1: `uv_async_send`. Any thread may call it, any number of times.
    pub fn send(&self) -> io::Result<()> {
        // TODO: if `pending` is already set, a wakeup is on its way: return without a system
        // call. Otherwise set it, and only the thread that changed it from false to true (use
        // `swap`, not `load` then `store`: two threads may get here at once) calls
        // `self.wakeup.wake()`. Use Ordering::SeqCst.
        todo!("ch09.1: set the pending flag; wake only if it was clear")
    }
}

// ---- ch09.2: the worker loop --------------------------------------------------------------------

/// A job: an id to report when it is done, and the work.
pub struct Job {
    /// Reported in [`Shared::done`] when the work has run.
    pub id: u64,
    /// What a worker runs, with no lock held.
    pub work: Box<dyn FnOnce() + Send>,
}

/// What the mutex protects.
#[derive(Default)]
pub struct State {
    /// Jobs not started yet, oldest first.
    pub jobs: VecDeque<Job>,
    /// Set when the pool is dropped: workers return instead of waiting for more.
    pub stopping: bool,
}

/// What the workers and the pool's owner share.
pub struct Shared {
    /// The queue, under the one mutex.
    pub state: Mutex<State>,
    /// Notified when a job is queued (one worker) or the pool stops (all).
    pub work_ready: Condvar,
    /// Ids of finished jobs, for the loop to collect.
    pub done: Mutex<Vec<u64>>,
    /// Woken after each completion, so the loop looks at `done`.
    pub wakeup: Wakeup,
}

/// A small pool built around [`worker`].
pub struct MiniPool {
    /// Shared with the workers.
    pub shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

impl MiniPool {
    /// Starts `threads` workers.
    pub fn new(threads: usize) -> io::Result<MiniPool> {
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            work_ready: Condvar::new(),
            done: Mutex::new(Vec::new()),
            wakeup: Wakeup::new()?,
        });
        let threads = (0..threads)
            .map(|_| {
                let shared = shared.clone();
                std::thread::spawn(move || worker(&shared))
            })
            .collect();
        Ok(MiniPool { shared, threads })
    }

    /// Queues a job and wakes one waiting worker.
    pub fn submit(&self, id: u64, work: impl FnOnce() + Send + 'static) {
        let mut state = self.shared.state.lock().unwrap();
        state.jobs.push_back(Job {
            id,
            work: Box::new(work),
        });
        self.shared.work_ready.notify_one();
    }

    /// The ids of the jobs finished since the last call.
    pub fn take_done(&self) -> Vec<u64> {
        std::mem::take(&mut *self.shared.done.lock().unwrap())
    }

    /// How many workers have ended. None should before the pool is dropped: one that has
    /// panicked or returned early (the tests ask, so as to fail at once instead of waiting).
    pub fn workers_gone(&self) -> usize {
        self.threads.iter().filter(|t| t.is_finished()).count()
    }
}

impl Drop for MiniPool {
    fn drop(&mut self) {
        self.shared.state.lock().unwrap().stopping = true;
        self.shared.work_ready.notify_all();
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

/// Exercise ch09.2: the body of a worker thread (libuv's `worker` in `src/threadpool.c`).
pub fn worker(shared: &Shared) {
    // TODO: loop forever: lock `shared.state`; while there is no job, return if `stopping`,
    // else wait on `shared.work_ready` (Condvar::wait gives the guard back); pop the oldest job
    // and UNLOCK (drop the guard) before running its work, so other workers can take jobs
    // meanwhile; then push its id to `shared.done` and call `shared.wakeup.wake()`.
    todo!("ch09.2: wait, pop, run with no lock held, post the completion")
}

// ---- ch09.3: the async-signal-safe handler -------------------------------------------------------

/// The write end of the self-pipe, where the handler finds it: a handler can reach nothing but
/// statics, and a lock-free atomic is safe to read there. -1 while none is installed.
pub static SIGNAL_PIPE: AtomicI32 = AtomicI32::new(-1);

/// The current thread's `errno`.
pub fn errno() -> i32 {
    io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Sets the current thread's `errno`.
pub fn set_errno(value: i32) {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    // SAFETY: __errno_location returns a valid pointer to this thread's errno.
    unsafe {
        *libc::__errno_location() = value
    };
    #[cfg(any(target_os = "macos", target_os = "ios", target_os = "freebsd"))]
    // SAFETY: __error returns a valid pointer to this thread's errno.
    unsafe {
        *libc::__error() = value
    };
}

/// What the kernel calls; it only hands over to [`on_signal`]. (`extern "C"` because the
/// kernel calls it with the C calling convention.)
pub extern "C" fn handler(signum: libc::c_int) {
    on_signal(signum);
}

/// Installs [`handler`] for `signum` and a fresh non-blocking pipe in [`SIGNAL_PIPE`]; returns
/// the pipe's read end, which a loop would watch. The write end stays open for good.
pub fn install(signum: libc::c_int) -> io::Result<OwnedFd> {
    let (read_end, write_end) = eventloops::sys::pipe::nonblocking_pipe()?;
    SIGNAL_PIPE.store(write_end.as_raw_fd(), Ordering::SeqCst);
    std::mem::forget(write_end); // the handler may use it at any moment from now on
    // SAFETY: `sigaction` is plain data; all-zero is a valid starting value.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = handler as *const () as libc::sighandler_t;
    action.sa_flags = libc::SA_RESTART;
    // SAFETY: `action` is initialised and `handler` is an `extern "C" fn(c_int)`.
    let rc = unsafe { libc::sigaction(signum, &action, std::ptr::null_mut()) };
    if rc == -1 {
        return Err(io::Error::last_os_error());
    }
    Ok(read_end)
}

/// Exercise ch09.3: what the signal handler does (libuv's `uv__signal_handler`).
///
/// It may run between any two instructions of any thread, so it may only do what
/// `signal-safety(7)` allows: no allocation, no locks, no printing, no panicking.
pub fn on_signal(signum: libc::c_int) {
    // TODO: save errno (errno()); load the fd from SIGNAL_PIPE; write one byte, the signal
    // number (`signum as u8`), with `libc::write` (ignore its result: a full pipe is readable
    // anyway); restore errno (set_errno) so the interrupted code never sees ours.
    todo!("ch09.3: one byte into the pipe, errno left as it was")
}
