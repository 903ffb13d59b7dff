//! `queue_work` on the loop (libuv's `uv_queue_work`, `uv_cancel` and `uv__work_done`): the
//! [`ThreadPool`] runs `work`, and `after_work` runs later on the loop thread with the result.
//!
//! The pool is per loop and starts on the first `queue_work` (or [`Loop::start_threadpool`]):
//! its threads and its async handle (an eventfd) exist only in loops that use it. A libuv loop
//! creates its async eventfd in `uv_loop_init`, so every libuv loop watches at least one fd; a
//! book loop that never queues work still watches none, as in chapters 7 and 8.
//!
//! # What keeps the loop alive
//!
//! libuv counts active *requests* as well as handles: a queued `uv_work_t` keeps `uv_run`
//! going until its `after_work_cb` has run. Here the pool's async handle is unreferenced while
//! nothing is queued and referenced while something is, which has the same effect with
//! chapter 7's counting of handles.

use super::pool::{Done, Job, Outcome, ThreadPool};
use super::pool_size::PoolSize;
use crate::ch06_pollers::Poller;
use crate::ch07_phases::{Handle, Loop};
use std::any::Any;
use std::collections::HashMap;
use std::io;

/// Names one queued piece of work, for [`Loop::cancel_work`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkId(u64);

/// An `after_work` callback, type-erased: it gets the loop and the job's outcome.
type AfterWork<D, P> = Box<dyn FnOnce(&mut Loop<D, P>, Outcome)>;

/// The pool as one loop sees it: kept in the loop (type-erased, see
/// [`Loop::threadpool`](crate::ch07_phases::Loop)).
pub(crate) struct LoopPool<D, P: Poller> {
    /// The workers.
    pool: ThreadPool,
    /// The async handle the workers wake; its callback runs the completions.
    handle: Handle,
    /// The `after_work` of every job whose completion has not run yet. Its size is the
    /// number of active requests: the async handle is referenced while it is not zero.
    after: HashMap<u64, AfterWork<D, P>>,
    /// The next job id.
    next_id: u64,
    /// Completions taken from the pool, reused between poll phases.
    scratch: Vec<Done>,
}

impl<D: 'static, P: Poller + 'static> Loop<D, P> {
    /// Starts this loop's thread pool with `size` threads now, instead of on the first
    /// [`queue_work`](Self::queue_work) with the size from the environment. An error if the
    /// pool is running already.
    pub fn start_threadpool(&mut self, size: PoolSize) -> io::Result<()> {
        if let Some(running) = self.threadpool_size() {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                format!("the thread pool is running already, with {running} threads"),
            ));
        }
        let (handle, sender) = self.async_init(|lp, _| lp.run_completions())?;
        self.set_name(handle, "threadpool");
        self.unref(handle);
        let pool = match ThreadPool::new(size, sender) {
            Ok(pool) => pool,
            Err(e) => {
                self.close(handle, |_, _| {});
                return Err(e);
            }
        };
        self.threadpool = Some(Box::new(LoopPool::<D, P> {
            pool,
            handle,
            after: HashMap::new(),
            next_id: 0,
            scratch: Vec::new(),
        }));
        Ok(())
    }

    /// How many threads this loop's pool has; `None` before it started.
    pub fn threadpool_size(&self) -> Option<usize> {
        let pool = self.threadpool.as_ref()?.downcast_ref::<LoopPool<D, P>>()?;
        Some(pool.pool.size())
    }

    fn loop_pool(&mut self) -> Option<&mut LoopPool<D, P>> {
        self.threadpool.as_mut()?.downcast_mut()
    }

    // ANCHOR: queue_work
    /// Runs `work` on a pool thread, then `after_work` on the loop thread, in the poll phase,
    /// with what `work` returned (`uv_queue_work`). Until `after_work` has run, the loop stays
    /// alive.
    ///
    /// `after_work` gets `Err` with `ECANCELED` if the work was [cancelled](Self::cancel_work)
    /// before it started, and an error saying so if `work` panicked. Starts the pool on first
    /// use, with [`PoolSize::from_env`] threads: that is when a bad
    /// `EVENTLOOPS_THREADPOOL_SIZE` is reported.
    pub fn queue_work<T: Send + 'static>(
        &mut self,
        work: impl FnOnce() -> T + Send + 'static,
        after_work: impl FnOnce(&mut Self, io::Result<T>) + 'static,
    ) -> io::Result<WorkId> {
        if self.threadpool.is_none() {
            self.start_threadpool(PoolSize::from_env()?)?;
        }
        let pool = self.loop_pool().expect("started above");
        let id = pool.next_id;
        pool.next_id += 1;
        let after: AfterWork<D, P> = Box::new(move |lp, outcome| {
            let result = match outcome {
                Outcome::Finished(value) => Ok(*value
                    .downcast::<T>()
                    .expect("a job's result has the type its work returns")),
                Outcome::Cancelled => Err(io::Error::from_raw_os_error(libc::ECANCELED)),
                Outcome::Panicked(message) => Err(io::Error::other(format!(
                    "the work function panicked: {message}"
                ))),
            };
            after_work(lp, result);
        });
        let first_active = pool.after.is_empty();
        pool.after.insert(id, after);
        pool.pool.submit(Job {
            id,
            work: Box::new(move || Box::new(work()) as Box<dyn Any + Send>),
        });
        if first_active {
            let handle = pool.handle;
            self.ref_handle(handle); // an active request keeps the loop alive
        }
        Ok(WorkId(id))
    }
    // ANCHOR_END: queue_work

    /// Cancels work no thread has started (`uv_cancel`): its `after_work` will run in the next
    /// poll phase with `ECANCELED`. `EBUSY` if it is running or finished: too late.
    pub fn cancel_work(&mut self, id: WorkId) -> io::Result<()> {
        let cancelled = match self.loop_pool() {
            Some(pool) if pool.after.contains_key(&id.0) => pool.pool.cancel(id.0),
            _ => false,
        };
        if cancelled {
            Ok(())
        } else {
            Err(io::Error::from_raw_os_error(libc::EBUSY))
        }
    }

    // ANCHOR: run_completions
    /// The pool's async callback, in the poll phase (libuv's `uv__work_done`): take every
    /// completion posted so far in one go, then run their `after_work`s with no lock held.
    fn run_completions(&mut self) {
        let Some(pool) = self.loop_pool() else { return };
        let mut done = std::mem::take(&mut pool.scratch);
        pool.pool.take_completions(&mut done);
        for Done { id, outcome } in done.drain(..) {
            let Some(pool) = self.loop_pool() else { return };
            let Some(after) = pool.after.remove(&id) else {
                continue;
            };
            if pool.after.is_empty() {
                let handle = pool.handle;
                self.unref(handle); // no active request left
            }
            after(self, outcome);
        }
        if let Some(pool) = self.loop_pool() {
            pool.scratch = done;
        }
    }
    // ANCHOR_END: run_completions
}
