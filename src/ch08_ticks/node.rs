//! Node's state inside the loop, booting it, and the rule of this chapter: after every callback,
//! drain the nextTick queue, then the microtask queue, until both are empty.

use super::immediates::Immediates;
use super::timers::TimerLists;
use crate::ch07_phases::{Handle, Loop, RunMode};
use std::collections::VecDeque;
use std::io;

/// Which loop a [`Timeout`](super::Timeout) or an [`Immediate`](super::Immediate) belongs to
/// (chapter 7's loop ids): every [`Node::boot`] takes a new one, so a name handed out by one
/// loop finds nothing in another.
pub(crate) use crate::ch07_phases::LoopId;

/// The loop with Node's layer on top: chapter 7's [`Loop`] holding a [`NodeState`]. Every
/// callback of this layer gets `&mut Node`, so it can schedule more work.
pub type Node = Loop<NodeState>;

/// A callback that runs once: a tick, a microtask, a timeout or an immediate.
pub type Task = Box<dyn FnOnce(&mut Node)>;

/// What Node keeps beside libuv's handles.
pub struct NodeState {
    /// `process.nextTick` callbacks, first in first out.
    pub(crate) ticks: VecDeque<Task>,
    /// Promise jobs and `queueMicrotask` callbacks (V8's microtask queue).
    pub(crate) microtasks: VecDeque<Task>,
    /// `setTimeout`/`setInterval`: lists by delay, driven by one loop timer.
    pub(crate) timers: TimerLists,
    /// `setImmediate`: a queue run by a check handle.
    pub(crate) immediates: Immediates,
    /// How many callbacks this layer has run (ticks and microtasks included).
    pub callbacks: u64,
    /// An embedded engine's own queues, drained where the microtask queue is (chapter 11).
    pub(crate) engine_checkpoint: Option<fn(&mut Node, DrainPoint)>,
    /// Where the drain running now happens.
    pub(crate) drain_point: DrainPoint,
}

/// Where a drain of the queues happens. Node drains them after every callback; it makes a
/// difference only to an embedded engine (chapter 11) when a callback threw: Node restarts its
/// timer and immediate loops after an exception, so the next timer of the same phase runs
/// before the ticks the failing one queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrainPoint {
    /// Between two timers of one timers phase, or two immediates of one check phase.
    BetweenCallbacks,
    /// After any other callback, or at the end of a phase.
    AfterCallback,
}

impl Node {
    /// A loop with Node's layer booted: the check handle that runs immediates (started, and
    /// unreferenced, so it never keeps the loop alive by itself), the idle handle that keeps the
    /// poll phase from blocking while immediates wait, and the one loop timer behind every
    /// `setTimeout`. Node's `Environment` sets up the same three.
    pub fn boot() -> io::Result<Node> {
        let mut node = Loop::with_data(NodeState {
            ticks: VecDeque::new(),
            microtasks: VecDeque::new(),
            timers: TimerLists::default(),
            immediates: Immediates::default(),
            callbacks: 0,
            engine_checkpoint: None,
            drain_point: DrainPoint::AfterCallback,
        })?;
        let check = node.check_init();
        node.check_start(check, |node, _| {
            node.process_immediates();
            node.run_ticks_and_microtasks();
        });
        node.unref(check);
        let idle = node.idle_init();
        let timer = node.timer_init();
        let owner = LoopId::fresh();
        node.data.immediates.idle = Some(idle);
        node.data.immediates.owner = owner;
        node.data.timers.handle = Some(timer);
        node.data.timers.owner = owner;
        Ok(node)
    }

    /// Runs `script` as the main module, then drains the tick and microtask queues, as Node does
    /// before its loop starts.
    pub fn run_main(&mut self, script: impl FnOnce(&mut Node)) {
        script(self);
        self.run_ticks_and_microtasks();
    }

    /// Runs the loop until nothing keeps it alive. What runs after this returns is Node's
    /// `process.on('exit')`.
    pub fn run_until_done(&mut self) -> io::Result<()> {
        self.run(RunMode::Default)?;
        Ok(())
    }

    // ANCHOR: queue
    /// `process.nextTick(callback)`: runs as soon as the current callback returns, before any
    /// promise job and before the loop moves on.
    pub fn next_tick(&mut self, callback: impl FnOnce(&mut Node) + 'static) {
        self.data.ticks.push_back(Box::new(callback));
    }

    /// `queueMicrotask(callback)`, and what `Promise.resolve().then(callback)` queues: runs after
    /// the nextTick queue is empty.
    pub fn queue_microtask(&mut self, callback: impl FnOnce(&mut Node) + 'static) {
        self.data.microtasks.push_back(Box::new(callback));
    }
    // ANCHOR_END: queue

    // ANCHOR: drain
    /// Node's `processTicksAndRejections`, run after every callback: all ticks (including
    /// ticks queued by ticks), then all microtasks (including microtasks queued by microtasks),
    /// and again while a microtask queued a tick.
    ///
    /// A tick that always queues another tick never lets this return: that is Node's
    /// "starvation" of the loop, and it is faithful, not a bug.
    pub fn run_ticks_and_microtasks(&mut self) {
        loop {
            while let Some(tick) = self.data.ticks.pop_front() {
                self.data.callbacks += 1;
                tick(self);
            }
            while let Some(job) = self.data.microtasks.pop_front() {
                self.data.callbacks += 1;
                job(self);
            }
            if let Some(engine_checkpoint) = self.data.engine_checkpoint {
                engine_checkpoint(self, self.data.drain_point);
            }
            if self.data.ticks.is_empty() {
                break;
            }
        }
    }
    // ANCHOR_END: drain

    /// Hands the checkpoint to an embedded JavaScript engine (chapter 11): `checkpoint` runs at
    /// the end of every [`run_ticks_and_microtasks`](Self::run_ticks_and_microtasks), to drain the
    /// queues the engine keeps itself (its nextTick queue, its promise jobs), so they run exactly
    /// where chapter 8's own queues do: after every callback.
    pub fn set_engine_checkpoint(&mut self, checkpoint: fn(&mut Node, DrainPoint)) {
        self.data.engine_checkpoint = Some(checkpoint);
    }

    /// The drain between two timers of one phase, or two immediates of one check phase.
    pub(crate) fn run_ticks_and_microtasks_between(&mut self) {
        self.data.drain_point = DrainPoint::BetweenCallbacks;
        self.run_ticks_and_microtasks();
        self.data.drain_point = DrainPoint::AfterCallback;
    }

    /// Runs one callback of this layer and then the queues: what Node's `InternalCallbackScope`
    /// does around every callback that comes from the loop.
    pub(crate) fn callback_scope(&mut self, callback: impl FnOnce(&mut Node)) {
        self.data.callbacks += 1;
        callback(self);
        self.run_ticks_and_microtasks();
    }

    /// Watches a socket: `callback` runs in the poll phase each time it is ready, with the
    /// queues drained after it. The loop owns the fd; [`close_handle`](Self::close_handle)
    /// closes it.
    pub fn watch(
        &mut self,
        fd: std::os::fd::OwnedFd,
        interest: crate::ch06_pollers::Interest,
        mut callback: impl FnMut(&mut Node, Handle, crate::ch06_pollers::Event) + 'static,
    ) -> io::Result<Handle> {
        let handle = self.io_init(fd);
        let started = self.io_start(handle, interest, move |node, me, event| {
            node.callback_scope(|node| callback(node, me, event));
        });
        if let Err(e) = started {
            self.close(handle, |_, _| {});
            return Err(e);
        }
        Ok(handle)
    }

    /// Closes a handle, as `socket.destroy()` does: its close callback (Node's `'close'`
    /// event) runs in the closing phase, with the queues drained after it.
    pub fn close_handle(&mut self, handle: Handle, callback: impl FnOnce(&mut Node) + 'static) {
        self.close(handle, move |node, _| node.callback_scope(callback));
    }
}
