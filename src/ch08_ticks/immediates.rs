//! `setImmediate`: a queue the check phase runs, and an idle handle that keeps the poll phase
//! from blocking while the queue is not empty (Node's `immediate_idle_handle`).

use super::node::{LoopId, Node, Task};
use crate::ch07_phases::Handle;
use std::collections::VecDeque;

/// Names one `setImmediate` of one loop, for [`Node::clear_immediate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Immediate {
    /// The loop the immediate belongs to.
    owner: LoopId,
    index: u32,
    generation: u32,
}

/// One queued immediate: its callback until it runs or is cleared.
struct Slot {
    generation: u32,
    task: Option<Task>,
    referenced: bool,
}

/// The immediate queue and its bookkeeping.
#[derive(Default)]
pub(crate) struct Immediates {
    /// The loop these immediates belong to; every `Immediate` handed out carries it.
    pub(crate) owner: LoopId,
    /// Queued immediates in order; a cleared one stays here until the check phase skips it.
    queue: VecDeque<Immediate>,
    /// The queue of the previous check phase, kept to reuse its allocation.
    spare: VecDeque<Immediate>,
    /// The callbacks, by index.
    slots: Vec<Slot>,
    /// Free slot indices.
    free: Vec<u32>,
    /// Queued immediates that keep the loop alive.
    referenced: usize,
    /// The idle handle; started while `referenced > 0`.
    pub(crate) idle: Option<Handle>,
    /// Whether the idle handle is started.
    idle_started: bool,
}

impl Immediates {
    fn get_mut(&mut self, id: Immediate) -> Option<&mut Slot> {
        if id.owner != self.owner {
            return None;
        }
        self.slots
            .get_mut(id.index as usize)
            .filter(|s| s.generation == id.generation && s.task.is_some())
    }

    /// Takes the callback of a queued immediate and frees its slot.
    fn take(&mut self, id: Immediate) -> Option<(Task, bool)> {
        let slot = self.get_mut(id)?;
        let task = slot.task.take()?;
        let referenced = slot.referenced;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(id.index);
        if referenced {
            self.referenced -= 1;
        }
        Some((task, referenced))
    }
}

impl Node {
    // ANCHOR: set_immediate
    /// `setImmediate(callback)`: runs in the check phase of this turn, or of the next one when
    /// queued from the check phase itself.
    pub fn set_immediate(&mut self, callback: impl FnOnce(&mut Node) + 'static) -> Immediate {
        let imm = &mut self.data.immediates;
        let task: Task = Box::new(callback);
        let owner = imm.owner;
        let id = match imm.free.pop() {
            Some(index) => {
                let slot = &mut imm.slots[index as usize];
                slot.task = Some(task);
                slot.referenced = true;
                Immediate {
                    owner,
                    index,
                    generation: slot.generation,
                }
            }
            None => {
                imm.slots.push(Slot {
                    generation: 0,
                    task: Some(task),
                    referenced: true,
                });
                Immediate {
                    owner,
                    index: (imm.slots.len() - 1) as u32,
                    generation: 0,
                }
            }
        };
        imm.queue.push_back(id);
        imm.referenced += 1;
        self.sync_idle_handle();
        id
    }
    // ANCHOR_END: set_immediate

    /// `clearImmediate(immediate)`: it will not run. Clearing one that ran already does nothing.
    pub fn clear_immediate(&mut self, id: Immediate) {
        if self.data.immediates.take(id).is_some() {
            self.sync_idle_handle();
        }
    }

    /// `immediate.unref()`: the immediate no longer keeps the loop alive.
    pub fn unref_immediate(&mut self, id: Immediate) {
        let imm = &mut self.data.immediates;
        if let Some(slot) = imm.get_mut(id)
            && slot.referenced
        {
            slot.referenced = false;
            imm.referenced -= 1;
            self.sync_idle_handle();
        }
    }

    /// `immediate.ref()`: undoes [`unref_immediate`](Self::unref_immediate).
    pub fn ref_immediate(&mut self, id: Immediate) {
        let imm = &mut self.data.immediates;
        if let Some(slot) = imm.get_mut(id)
            && !slot.referenced
        {
            slot.referenced = true;
            imm.referenced += 1;
            self.sync_idle_handle();
        }
    }

    /// Starts the idle handle while referenced immediates wait, stops it otherwise. Node
    /// toggles the same handle (`toggleImmediateRef`).
    fn sync_idle_handle(&mut self) {
        let imm = &self.data.immediates;
        let want = imm.referenced > 0;
        if want == imm.idle_started {
            return;
        }
        let Some(idle) = imm.idle else { return };
        if want {
            self.idle_start(idle, |_, _| {});
        } else {
            self.idle_stop(idle);
        }
        self.data.immediates.idle_started = want;
    }

    // ANCHOR: process_immediates
    /// The check handle's callback (Node's `processImmediate`): runs the immediates queued
    /// before it started, with the queues drained between them. Immediates queued meanwhile
    /// go to a fresh queue, for the next turn.
    pub(crate) fn process_immediates(&mut self) {
        let spare = std::mem::take(&mut self.data.immediates.spare);
        let mut batch = std::mem::replace(&mut self.data.immediates.queue, spare);
        let mut ran_one = false;
        while let Some(id) = batch.pop_front() {
            let Some((task, _)) = self.data.immediates.take(id) else {
                continue; // cleared
            };
            if ran_one {
                self.run_ticks_and_microtasks_between();
            }
            ran_one = true;
            self.data.callbacks += 1;
            task(self);
        }
        self.data.immediates.spare = batch;
        self.sync_idle_handle();
    }
    // ANCHOR_END: process_immediates
}
