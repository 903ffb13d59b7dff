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

use super::pool::{Done, Job, Outcome, ThreadPool, Work};
use super::pool_size::PoolSize;
use crate::ch06_pollers::Poller;
use crate::ch07_phases::{Handle, Loop};
use std::any::Any;
use std::io;

/// Names one queued piece of work, for [`Loop::cancel_work`]: a slot in the loop's table of
/// `after_work` callbacks (low 32 bits) and which use of that slot it is (high 32 bits), so an
/// old id never reaches the request that reused its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkId(u64);

impl WorkId {
    fn new(index: u32, generation: u32) -> WorkId {
        WorkId(u64::from(index) | (u64::from(generation) << 32))
    }

    fn index(self) -> usize {
        (self.0 & 0xffff_ffff) as usize
    }

    fn generation(self) -> u32 {
        (self.0 >> 32) as u32
    }
}

/// What travels to a worker and back: the work, then its result.
struct Request<W, T> {
    work: Option<W>,
    result: Option<T>,
}

impl<W: FnOnce() -> T + Send + 'static, T: Send + 'static> Work for Request<W, T> {
    fn run(&mut self) {
        if let Some(work) = self.work.take() {
            self.result = Some(work());
        }
    }

    fn into_any(self: Box<Self>) -> Box<dyn Any + Send> {
        self
    }
}

/// One entry of the table of `after_work` callbacks.
struct AfterSlot<D, P: Poller> {
    generation: u32,
    /// `None` while the slot is free.
    after: Option<AfterWork<D, P>>,
}

/// An `after_work` callback, type-erased: it gets the loop and the job's outcome.
type AfterWork<D, P> = Box<dyn FnOnce(&mut Loop<D, P>, Outcome)>;

/// The pool as one loop sees it: kept in the loop (type-erased, see
/// [`Loop::threadpool`](crate::ch07_phases::Loop)).
pub(crate) struct LoopPool<D, P: Poller> {
    /// The workers.
    pool: ThreadPool,
    /// The async handle the workers wake; its callback runs the completions.
    handle: Handle,
    /// The `after_work` of every job whose completion has not run yet, by slot (a slab: no
    /// hashing, no rehashing, slots reused).
    after: Vec<AfterSlot<D, P>>,
    /// Free slots of `after`.
    free: Vec<u32>,
    /// Jobs whose `after_work` has not run: the loop's active requests. The async handle is
    /// referenced while this is not zero.
    active: usize,
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
            after: Vec::new(),
            free: Vec::new(),
            active: 0,
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
    pub fn queue_work<T: Send + 'static, W: FnOnce() -> T + Send + 'static>(
        &mut self,
        work: W,
        after_work: impl FnOnce(&mut Self, io::Result<T>) + 'static,
    ) -> io::Result<WorkId> {
        if self.threadpool.is_none() {
            self.start_threadpool(PoolSize::from_env()?)?;
        }
        let pool = self.loop_pool().expect("started above");
        let after: AfterWork<D, P> = Box::new(move |lp, outcome| {
            let result = match outcome {
                Outcome::Finished(job) => job
                    .downcast::<Request<W, T>>()
                    .ok()
                    .and_then(|request| request.result)
                    .ok_or_else(|| io::Error::other("a finished job without its result")),
                Outcome::Cancelled => Err(io::Error::from_raw_os_error(libc::ECANCELED)),
                Outcome::Panicked(message) => Err(io::Error::other(format!(
                    "the work function panicked: {message}"
                ))),
            };
            after_work(lp, result);
        });
        let id = pool.insert(after);
        pool.pool.submit(Job {
            id: id.0,
            work: Box::new(Request {
                work: Some(work),
                result: None,
            }),
        });
        if pool.active == 1 {
            let handle = pool.handle;
            self.ref_handle(handle); // an active request keeps the loop alive
        }
        Ok(id)
    }
    // ANCHOR_END: queue_work

    /// Cancels work no thread has started (`uv_cancel`): its `after_work` will run in the next
    /// poll phase with `ECANCELED`. `EBUSY` if it is running or finished: too late.
    pub fn cancel_work(&mut self, id: WorkId) -> io::Result<()> {
        let cancelled = match self.loop_pool() {
            Some(pool) if pool.is_waiting(id) => pool.pool.cancel(id.0),
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
            let Some(after) = pool.remove(WorkId(id)) else {
                continue;
            };
            if pool.active == 0 {
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

impl<D, P: Poller> LoopPool<D, P> {
    /// Keeps `after` until its job completes; counts one more active request.
    fn insert(&mut self, after: AfterWork<D, P>) -> WorkId {
        self.active += 1;
        match self.free.pop() {
            Some(index) => {
                let slot = &mut self.after[index as usize];
                slot.after = Some(after);
                WorkId::new(index, slot.generation)
            }
            None => {
                let index = u32::try_from(self.after.len()).expect("fewer than 2^32 requests");
                self.after.push(AfterSlot {
                    generation: 0,
                    after: Some(after),
                });
                WorkId::new(index, 0)
            }
        }
    }

    /// Whether `id`'s `after_work` has not run yet.
    fn is_waiting(&self, id: WorkId) -> bool {
        self.after
            .get(id.index())
            .is_some_and(|s| s.generation == id.generation() && s.after.is_some())
    }

    /// Takes `id`'s `after_work` and frees its slot; one active request fewer.
    fn remove(&mut self, id: WorkId) -> Option<AfterWork<D, P>> {
        let slot = self
            .after
            .get_mut(id.index())
            .filter(|s| s.generation == id.generation())?;
        let after = slot.after.take()?;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.index() as u32);
        self.active -= 1;
        Some(after)
    }
}
