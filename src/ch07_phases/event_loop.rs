//! The loop itself: its state, one turn in [`Loop::run`], and the phases `run` calls by name.

use super::handle::{Handle, Kind, LoopId, PendingCallback, Slot};
use super::trace::{Phase, Trace};
use crate::ch05_timers::TimerHeap;
use crate::ch06_pollers::{DefaultPoller, Event, Poller};
use std::collections::VecDeque;
use std::io;
use std::time::Instant;

/// How [`Loop::run`] runs, as libuv's `uv_run_mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunMode {
    /// Turn until nothing keeps the loop alive, or until [`Loop::stop`].
    Default,
    /// One turn; the poll phase may block (unless callbacks are already waiting).
    Once,
    /// One turn; the poll phase never blocks.
    NoWait,
}

/// An event loop with libuv's phases.
///
/// `D` is data the embedder keeps in the loop (chapter 8 keeps Node's queues there); callbacks
/// reach it through [`data`](Loop::data). `P` is the poller (chapter 6), chosen at compile time.
///
/// # Examples
///
/// ```
/// use eventloops::ch07_phases::{Loop, RunMode};
/// use std::time::Duration;
/// # fn main() -> std::io::Result<()> {
/// let mut lp: Loop = Loop::new()?;
/// let timer = lp.timer_init();
/// lp.timer_start(timer, Duration::from_millis(1), Duration::ZERO, |lp, _| {
///     *lp.data() = (); // callbacks get the loop: they may start, stop and close handles
/// });
/// assert!(!lp.run(RunMode::Default)?, "nothing is left alive");
/// # Ok(())
/// # }
/// ```
pub struct Loop<D = (), P: Poller = DefaultPoller> {
    /// The embedder's data.
    pub(crate) data: D,
    /// This loop's id, which every handle it makes carries.
    pub(crate) id: LoopId,
    /// The kernel's readiness interface.
    pub(crate) poller: P,
    /// The loop time: read once per turn (and after each wait), not per callback.
    pub(crate) now: Instant,
    /// When the loop was created; the trace counts from here.
    pub(crate) epoch: Instant,
    /// Every handle, by index; a free slot has `kind: None`.
    pub(crate) slots: Vec<Slot<D, P>>,
    /// Free slot indices, reused last-freed first.
    pub(crate) free: Vec<u32>,
    /// Started timers, by (deadline, start order).
    pub(crate) timers: TimerHeap<Handle>,
    /// Active idle handles, newest first (libuv inserts each started handle at the head).
    pub(crate) idle_handles: Vec<Handle>,
    /// Active prepare handles, newest first.
    pub(crate) prepare_handles: Vec<Handle>,
    /// Active check handles, newest first.
    pub(crate) check_handles: Vec<Handle>,
    /// Handles whose close callback is waiting for the closing phase, in close order.
    pub(crate) closing_handles: Vec<Handle>,
    /// Pending callbacks for the next pending phase.
    pub(crate) pending: VecDeque<PendingCallback<D, P>>,
    /// A phase copies its handle list here before calling anything (reused, not reallocated).
    pub(crate) scratch: Vec<Handle>,
    /// Where the poller writes events (reused).
    pub(crate) events: Vec<Event>,
    /// How many handles are active, referenced and not closing: the loop's reason to live.
    pub(crate) active_refs: usize,
    /// How many I/O watchers are registered with the poller.
    pub(crate) watchers: usize,
    /// Counts handle starts, so a phase can tell which handles were started during it.
    pub(crate) starts: u64,
    /// Set by [`stop`](Loop::stop), cleared when `run` returns.
    pub(crate) stop_flag: bool,
    /// The recorded phases and callbacks, when tracing.
    pub(crate) trace: Option<Trace>,
    /// Chapter 9's thread pool, started by the first `queue_work`: its workers, its async
    /// handle and the `after_work` callbacks still to run. Type-erased (`Box<dyn Any>`) so
    /// that this chapter's loop does not depend on a later chapter; dropping the loop drops
    /// it, which stops and joins the workers.
    pub(crate) threadpool: Option<Box<dyn std::any::Any>>,
}

impl<D: Default> Loop<D> {
    /// A new loop with the default poller and default data.
    pub fn new() -> io::Result<Self> {
        Self::with_data(D::default())
    }
}

impl<D, P: Poller> Loop<D, P> {
    /// A new loop holding `data`, on a new poller of type `P`.
    pub fn with_data(data: D) -> io::Result<Self> {
        let now = Instant::now();
        Ok(Loop {
            data,
            id: LoopId::fresh(),
            poller: P::new()?,
            now,
            epoch: now,
            slots: Vec::new(),
            free: Vec::new(),
            timers: TimerHeap::new(),
            idle_handles: Vec::new(),
            prepare_handles: Vec::new(),
            check_handles: Vec::new(),
            closing_handles: Vec::new(),
            pending: VecDeque::new(),
            scratch: Vec::new(),
            events: Vec::new(),
            active_refs: 0,
            watchers: 0,
            starts: 0,
            stop_flag: false,
            trace: None,
            threadpool: None,
        })
    }

    /// The embedder's data.
    pub fn data(&mut self) -> &mut D {
        &mut self.data
    }

    /// The loop time: when the loop last looked at the clock. Cached, as in libuv, so that every
    /// callback of one phase sees the same "now" and a timer started from a callback counts from
    /// the start of the phase, not from the moment its line ran.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Reads the clock into the loop time. The loop does this at the start of a run, after each
    /// wait in the poll phase and before the timers phase.
    pub fn update_time(&mut self) {
        self.now = Instant::now();
    }

    /// Makes `run` return after the current turn, without waiting in the poll phase.
    pub fn stop(&mut self) {
        self.stop_flag = true;
    }

    /// Whether the loop has a reason to turn again: a referenced active handle, a pending
    /// callback (an active request) or a handle waiting for its close callback.
    pub fn alive(&self) -> bool {
        self.active_refs > 0 || !self.pending.is_empty() || !self.closing_handles.is_empty()
    }

    // ANCHOR: run
    /// Runs the loop in `mode` and returns whether it is still alive.
    ///
    /// One turn, as libuv ≥ 1.45 runs it: pending, idle, prepare, poll, pending again (a few
    /// times), check, closing handles, update the time, timers. [`RunMode::Default`] also runs
    /// the timers that are already due once before the first turn.
    pub fn run(&mut self, mode: RunMode) -> io::Result<bool> {
        let mut alive = self.alive();
        if !alive {
            self.update_time();
        }
        if mode == RunMode::Default && alive && !self.stop_flag {
            self.update_time();
            self.run_timers();
        }
        while alive && !self.stop_flag {
            let can_sleep = self.pending.is_empty() && self.idle_handles.is_empty();
            self.run_pending();
            self.run_idle();
            self.run_prepare();
            let timeout = match mode {
                RunMode::Default => self.poll_timeout(),
                RunMode::Once if can_sleep => self.poll_timeout(),
                _ => 0,
            };
            self.poll_io(timeout)?;
            self.run_pending_again();
            self.run_check();
            self.run_closing_handles();
            self.update_time();
            self.run_timers();
            alive = self.alive();
            if mode != RunMode::Default {
                break;
            }
        }
        self.stop_flag = false;
        Ok(alive)
    }
    // ANCHOR_END: run

    // ANCHOR: run_timers
    /// The timers phase: every timer due at the loop time, in (deadline, start order). A timer
    /// started by one of these callbacks waits for the next timers phase even if it is due.
    fn run_timers(&mut self) {
        let started_before = self.timers.next_id();
        while let Some((_, handle)) = self.timers.pop_due(self.now, started_before) {
            let repeat = match self.slot_mut(handle).and_then(|s| s.kind.as_mut()) {
                Some(Kind::Timer { id, repeat, .. }) => {
                    *id = None;
                    *repeat
                }
                _ => continue,
            };
            if repeat.is_zero() {
                self.deactivate(handle);
            } else {
                // `uv_timer_again` before the callback: a repeating timer counts its next
                // deadline from this phase's loop time, however long the callback takes.
                self.timer_rearm(handle, repeat);
            }
            self.call(Phase::Timers, handle);
        }
    }
    // ANCHOR_END: run_timers

    /// The pending phase: callbacks queued for this turn. Those queued while it runs wait for the
    /// next pending phase.
    fn run_pending(&mut self) {
        let mut batch = std::mem::take(&mut self.pending);
        while let Some(callback) = batch.pop_front() {
            let start = self.trace_start();
            callback(self);
            self.trace_callback(Phase::Pending, None, start);
        }
        // Keep the allocation if nothing was queued meanwhile.
        if self.pending.is_empty() {
            self.pending = batch;
        }
    }

    /// libuv runs the pending queue again after the poll phase, a fixed number of times (8), so
    /// that callbacks deferred by I/O callbacks run this turn without starving the other phases.
    fn run_pending_again(&mut self) {
        for _ in 0..8 {
            if self.pending.is_empty() {
                break;
            }
            self.run_pending();
        }
    }

    // ANCHOR: run_idle
    /// The idle phase: every active idle handle, once, newest first.
    fn run_idle(&mut self) {
        let mut batch = std::mem::take(&mut self.scratch);
        batch.clone_from(&self.idle_handles);
        self.run_batch(Phase::Idle, &batch);
        self.scratch = batch;
    }
    // ANCHOR_END: run_idle

    /// The prepare phase: every active prepare handle, once, just before polling.
    fn run_prepare(&mut self) {
        let mut batch = std::mem::take(&mut self.scratch);
        batch.clone_from(&self.prepare_handles);
        self.run_batch(Phase::Prepare, &batch);
        self.scratch = batch;
    }

    /// The check phase: every active check handle, once, just after polling.
    fn run_check(&mut self) {
        let mut batch = std::mem::take(&mut self.scratch);
        batch.clone_from(&self.check_handles);
        self.run_batch(Phase::Check, &batch);
        self.scratch = batch;
    }

    // ANCHOR: run_batch
    /// Runs the callbacks of a copy of a handle list. The copy is what makes it safe: a callback
    /// may stop, start or close any handle, and the loop's own list may change under us. Each
    /// handle is checked again right before its turn: stopped or closed since the copy was made,
    /// or started during this phase, it does not run.
    fn run_batch(&mut self, phase: Phase, batch: &[Handle]) {
        let limit = self.starts;
        for &handle in batch {
            let runnable = self
                .slot(handle)
                .is_some_and(|s| s.active && !s.closing && s.started_at <= limit);
            if runnable {
                self.call(phase, handle);
            }
        }
    }
    // ANCHOR_END: run_batch

    // ANCHOR: run_closing
    /// The closing phase: the close callback of every handle closed since the last one; then the
    /// handle's slot is free. libuv keeps closing handles on a stack (a singly linked list it
    /// pushes onto), so the last handle closed is the first called back: we do the same, and
    /// Node agrees (`tests/node-ordering/38-close-callbacks-lifo.js`). Handles closed by these
    /// callbacks wait for the next closing phase (libuv swaps the list out the same way).
    fn run_closing_handles(&mut self) {
        let closing = std::mem::take(&mut self.closing_handles);
        for handle in closing.into_iter().rev() {
            let Some(slot) = self.slot_mut(handle) else {
                continue;
            };
            let callback = slot.close_callback.take();
            let name = slot.name.take();
            let start = self.trace_start();
            self.free_slot(handle);
            if let Some(callback) = callback {
                callback(self, handle);
                let label =
                    name.map_or_else(|| "close callback".to_string(), |n| format!("close: {n}"));
                self.trace_span(Phase::Close, label, start);
            }
        }
    }
    // ANCHOR_END: run_closing

    /// Runs the callback of a timer/idle/prepare/check handle: takes it out of the slot (so the
    /// callback can have `&mut self`), calls it, and puts it back unless the callback closed the
    /// handle or gave it a new callback.
    pub(crate) fn call(&mut self, phase: Phase, handle: Handle) {
        let Some(mut callback) = self.slot_mut(handle).and_then(|s| s.callback.take()) else {
            return;
        };
        let start = self.trace_start();
        callback(self, handle);
        self.trace_callback(phase, Some(handle), start);
        if let Some(slot) = self.slot_mut(handle)
            && !slot.closing
            && slot.callback.is_none()
        {
            slot.callback = Some(callback);
        }
    }

    /// The slot a live handle names, or `None` for a stale or freed handle.
    pub(crate) fn slot(&self, handle: Handle) -> Option<&Slot<D, P>> {
        self.slots
            .get(self.index_of(handle)?)
            .filter(|s| s.generation == handle.generation && s.kind.is_some())
    }

    /// The slot a live handle names, mutably.
    pub(crate) fn slot_mut(&mut self, handle: Handle) -> Option<&mut Slot<D, P>> {
        let index = self.index_of(handle)?;
        self.slots
            .get_mut(index)
            .filter(|s| s.generation == handle.generation && s.kind.is_some())
    }

    /// The slot index `handle` names in this loop; `None` for a handle of another loop (the
    /// generation is checked by the caller, with whatever else it needs of the slot).
    pub(crate) fn index_of(&self, handle: Handle) -> Option<usize> {
        (handle.owner == self.id).then_some(handle.index as usize)
    }

    /// Puts a new handle of `kind` in a free slot.
    pub(crate) fn alloc(&mut self, kind: Kind) -> Handle {
        if let Some(index) = self.free.pop() {
            let slot = &mut self.slots[index as usize];
            let generation = slot.generation;
            *slot = Slot::new(generation, kind);
            Handle {
                owner: self.id,
                index,
                generation,
            }
        } else {
            let index = u32::try_from(self.slots.len()).expect("fewer than 2^32 handles");
            self.slots.push(Slot::new(0, kind));
            Handle {
                owner: self.id,
                index,
                generation: 0,
            }
        }
    }

    /// Frees a closed handle's slot; the bumped generation retires every copy of `handle`.
    fn free_slot(&mut self, handle: Handle) {
        if let Some(slot) = self.slot_mut(handle) {
            slot.kind = None;
            slot.callback = None;
            slot.io_callback = None;
            slot.close_callback = None;
            slot.name = None;
            slot.generation = slot.generation.wrapping_add(1);
            self.free.push(handle.index);
        }
    }
}
