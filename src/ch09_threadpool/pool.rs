//! The thread pool itself (libuv's `src/threadpool.c`): a fixed set of worker threads, one
//! queue of jobs, one mutex, one condition variable. It knows nothing about loops: a finished
//! job goes into a completion list and an [`AsyncSender`] wakes whoever reads it.
//!
//! Every step is a few lines under one lock:
//!
//! * [`submit`](ThreadPool::submit): lock, append, wake one idle worker if there is one, unlock.
//! * a worker: lock; while the queue is empty, wait on the condvar; pop; unlock; run the job
//!   with no lock held; then post the result to the completions and send the wakeup.
//! * [`cancel`](ThreadPool::cancel): lock; a job still in the queue has not started, so take it
//!   out and post it as cancelled; one that is not there is running or done: too late.
//!
//! Dropping the pool stops it: every worker finishes the job it is running, sees the stop flag
//! and returns, and `drop` joins them all, so no thread outlives the pool. Jobs still queued
//! never run.

use super::async_handle::AsyncSender;
use super::pool_size::PoolSize;
use crate::sys::ok_or_errno;
use std::any::Any;
use std::collections::VecDeque;
use std::io;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;

/// A job's work, type-erased. A worker calls [`run`](Work::run) once; then the job travels
/// back to the loop thread whole, its result inside, and the submitter, who knows the concrete
/// type, takes the result out through [`into_any`](Work::into_any). One allocation per job,
/// made and freed on the loop thread; the worker only borrows it.
pub trait Work: Send {
    /// Does the work and keeps the result.
    fn run(&mut self);
    /// The job as `Any`, to downcast it back to its concrete type.
    fn into_any(self: Box<Self>) -> Box<dyn Any + Send>;
}

/// One job: its id (to cancel it and to match its completion) and its work.
pub struct Job {
    /// Chosen by the submitter; unique among its jobs.
    pub id: u64,
    /// What a worker runs.
    pub work: Box<dyn Work>,
}

/// How a job ended.
pub enum Outcome {
    /// The work ran: here is the job, result inside.
    Finished(Box<dyn Any + Send>),
    /// The work panicked; the message, if it was a string.
    Panicked(String),
    /// Cancelled before a worker took it.
    Cancelled,
}

/// A finished (or cancelled) job, waiting for the loop thread.
pub struct Done {
    /// The job's id.
    pub id: u64,
    /// How it ended.
    pub outcome: Outcome,
}

/// The pool: its workers and what they share.
pub struct ThreadPool {
    shared: Arc<Shared>,
    workers: Vec<JoinHandle<()>>,
}

/// What the workers and the pool's owner share.
struct Shared {
    /// The queue and the workers' bookkeeping, under the one mutex.
    queue: Mutex<Queue>,
    /// Signalled when a job is queued (one idle worker wakes) or the pool stops (all wake).
    work_ready: Condvar,
    /// Where finished jobs go.
    completions: Mutex<Vec<Done>>,
    /// Wakes the loop when a job is done.
    wake: AsyncSender,
}

/// The state the mutex protects.
struct Queue {
    /// Jobs not started yet, oldest first.
    jobs: VecDeque<Job>,
    /// Workers waiting on the condvar (or woken and not yet back under the lock).
    idle: usize,
    /// Set when the pool is dropped: workers return instead of taking more jobs.
    stopping: bool,
}

impl Shared {
    fn lock_queue(&self) -> MutexGuard<'_, Queue> {
        // A job runs with no lock held, so a panicking job cannot poison this mutex; if it is
        // poisoned anyway, the queue itself is still consistent.
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    // ANCHOR: post_done
    /// Hands a finished job to the loop: append it under the completions mutex, then wake the
    /// loop. The wake coalesces: a worker finishing while the loop has not yet looked costs no
    /// system call.
    fn post_done(&self, done: Done) {
        self.completions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(done);
        // An eventfd write cannot fail for an fd we own; if it ever did, the completion would
        // still be found by the next wake.
        let _ = self.wake.send();
    }
    // ANCHOR_END: post_done
}

impl ThreadPool {
    /// Starts `size` workers. Finished jobs are announced with `wake`.
    pub fn new(size: PoolSize, wake: AsyncSender) -> io::Result<ThreadPool> {
        let shared = Arc::new(Shared {
            queue: Mutex::new(Queue {
                jobs: VecDeque::new(),
                idle: 0,
                stopping: false,
            }),
            work_ready: Condvar::new(),
            completions: Mutex::new(Vec::new()),
            wake,
        });
        let mut pool = ThreadPool {
            shared,
            workers: Vec::with_capacity(size.get()),
        };
        for i in 0..size.get() {
            let shared = pool.shared.clone();
            let worker = std::thread::Builder::new()
                .name(format!("pool-worker-{i}"))
                .spawn(move || worker(&shared))?; // on error, `pool` drops: started ones stop
            pool.workers.push(worker);
        }
        Ok(pool)
    }

    /// How many workers the pool has.
    pub fn size(&self) -> usize {
        self.workers.len()
    }

    // ANCHOR: submit
    /// Queues a job for the next free worker (libuv's `post`).
    ///
    /// A worker is signalled only while there are fewer queued jobs than idle workers: with
    /// more, every idle worker has been signalled already and a busy one will come back for
    /// the rest. (libuv signals whenever a thread is idle and leaves it to glibc's condvar to
    /// skip the system call when nobody is left to wake; Rust's condvar makes the call.)
    ///
    /// The signal goes out after the unlock: a worker woken while we still hold the mutex
    /// would only go back to sleep on it (`strace` shows the extra pair of futex calls).
    pub fn submit(&self, job: Job) {
        let mut queue = self.shared.lock_queue();
        queue.jobs.push_back(job);
        let wake_one = queue.jobs.len() <= queue.idle;
        drop(queue);
        if wake_one {
            self.shared.work_ready.notify_one();
        }
    }
    // ANCHOR_END: submit

    // ANCHOR: cancel
    /// Cancels a job that no worker has taken yet: it is posted as [`Outcome::Cancelled`] and
    /// `true` is returned. `false` when it is running or done (libuv's `uv_cancel` says
    /// `EBUSY`): a thread cannot be stopped halfway through arbitrary code.
    pub fn cancel(&self, id: u64) -> bool {
        let job = {
            let mut queue = self.shared.lock_queue();
            let Some(at) = queue.jobs.iter().position(|j| j.id == id) else {
                return false;
            };
            queue.jobs.remove(at)
        };
        drop(job); // its work never runs; drop it outside the lock
        self.shared.post_done(Done {
            id,
            outcome: Outcome::Cancelled,
        });
        true
    }
    // ANCHOR_END: cancel

    /// Moves every completion posted so far into `into` (on the loop thread).
    pub fn take_completions(&self, into: &mut Vec<Done>) {
        let mut done = self
            .shared
            .completions
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        into.append(&mut done);
    }
}

// ANCHOR: worker
/// A worker thread: take the oldest job, run it with no lock held, post the result; sleep on
/// the condvar while there is nothing to do; return when the pool stops.
fn worker(shared: &Shared) {
    // Signals go to other threads: a work function is never interrupted by one, and Ctrl-C
    // reaches a thread that is not busy reading a file.
    let _ = block_signals_in_this_thread();
    loop {
        let job = {
            let mut queue = shared.lock_queue();
            loop {
                if queue.stopping {
                    return;
                }
                if let Some(job) = queue.jobs.pop_front() {
                    break job;
                }
                queue.idle += 1;
                queue = shared
                    .work_ready
                    .wait(queue)
                    .unwrap_or_else(|e| e.into_inner());
                queue.idle -= 1;
            }
        };
        let mut work = job.work;
        let outcome = match catch_unwind(AssertUnwindSafe(|| work.run())) {
            Ok(()) => Outcome::Finished(work.into_any()),
            Err(panic) => Outcome::Panicked(panic_message(&*panic)),
        };
        shared.post_done(Done {
            id: job.id,
            outcome,
        });
    }
}
// ANCHOR_END: worker

impl Drop for ThreadPool {
    fn drop(&mut self) {
        self.shared.lock_queue().stopping = true;
        self.shared.work_ready.notify_all();
        for worker in self.workers.drain(..) {
            let _ = worker.join(); // a worker never panics: jobs run under catch_unwind
        }
    }
}

fn panic_message(panic: &(dyn Any + Send)) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "a panic without a message".to_string()
    }
}

/// Blocks every signal in the calling thread.
fn block_signals_in_this_thread() -> io::Result<()> {
    // SAFETY: all-zero is a valid sigset_t to start from; sigfillset initialises it.
    let mut all: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: `all` is valid and writable.
    ok_or_errno(unsafe { libc::sigfillset(&mut all) })?;
    // SAFETY: `all` is initialised; we do not ask for the old mask. pthread_sigmask returns the
    // error number instead of setting errno.
    let err = unsafe { libc::pthread_sigmask(libc::SIG_BLOCK, &all, std::ptr::null_mut()) };
    match err {
        0 => Ok(()),
        e => Err(io::Error::from_raw_os_error(e)),
    }
}
