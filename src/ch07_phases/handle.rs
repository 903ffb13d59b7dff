//! Handles: the long-lived things a loop watches (timers, idle, prepare and check handles, I/O
//! watchers), kept in a slab and named by a [`Handle`].
//!
//! A handle is an index plus a generation. The slot is reused only after the handle's close
//! callback has run, and reusing it bumps the generation, so a stale [`Handle`] kept by a callback
//! can never reach the handle that took its slot: every operation on it finds nothing. A handle
//! also names its loop, so that one given to another loop of the same program finds nothing
//! there either, instead of whichever handle has the same index.

use super::Loop;
use crate::ch05_timers::TimerId;
use crate::ch06_pollers::{Event, Interest, Poller};
use std::os::fd::OwnedFd;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

/// Which loop of the program something belongs to: every loop takes a new one when it is made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct LoopId(u32);

impl LoopId {
    /// An id no other loop of this process has had (0 is never handed out).
    pub(crate) fn fresh() -> LoopId {
        static NEXT: AtomicU32 = AtomicU32::new(1);
        LoopId(NEXT.fetch_add(1, Ordering::Relaxed))
    }
}

/// Names one handle of a [`Loop`]. Cheap to copy; stays valid until the handle's close callback
/// has run, after which every operation on it is ignored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Handle {
    /// The loop the handle belongs to.
    pub(crate) owner: LoopId,
    /// The slot in the loop's slab.
    pub(crate) index: u32,
    /// Which use of the slot this is.
    pub(crate) generation: u32,
}

impl Handle {
    /// Packs the handle into a poller token, so an event names the handle and its generation.
    pub(crate) fn token(self) -> usize {
        (self.index as usize) | ((self.generation as usize) << 32)
    }

    /// Unpacks a token made by [`token`](Self::token), for the loop `owner` whose poller gave it.
    pub(crate) fn from_token(token: usize, owner: LoopId) -> Handle {
        Handle {
            owner,
            index: token as u32,
            generation: (token >> 32) as u32,
        }
    }
}

/// The callback of a timer, idle, prepare or check handle. It gets the loop, so it can start,
/// stop and close handles, itself included.
pub type Callback<D, P> = Box<dyn FnMut(&mut Loop<D, P>, Handle)>;

/// The callback of an I/O watcher: the loop, the watcher, and what the poller reported (masked
/// with the watcher's interest at the moment it runs).
pub type IoCallback<D, P> = Box<dyn FnMut(&mut Loop<D, P>, Handle, Event)>;

/// A close callback: runs once, in the closing phase, after which the handle is gone.
pub type CloseCallback<D, P> = Box<dyn FnOnce(&mut Loop<D, P>, Handle)>;

/// A pending callback (a request the loop completes on its next turn, like libuv's deferred
/// write callbacks).
pub type PendingCallback<D, P> = Box<dyn FnOnce(&mut Loop<D, P>)>;

/// What kind of handle a slot holds, with the state only that kind needs.
pub(crate) enum Kind {
    /// A timer: its entry in the heap while started, its timeout and repeat.
    Timer {
        /// The heap entry while the timer is started.
        id: Option<TimerId>,
        /// Zero for a one-shot timer.
        repeat: Duration,
        /// Started at least once, so it has a callback to run again (libuv tests
        /// `timer_cb != NULL`). The callback itself may be out of its slot, running.
        ever_started: bool,
    },
    /// Runs once per turn, and keeps the poll phase from blocking.
    Idle,
    /// Runs once per turn, just before the poll phase.
    Prepare,
    /// Runs once per turn, just after the poll phase.
    Check,
    /// Watches a file descriptor the loop owns; closing the handle closes it.
    Io {
        /// The descriptor; `None` once the handle is closing (it was closed then, as
        /// `uv_close` closes a stream's fd at once).
        fd: Option<OwnedFd>,
        /// What the watcher currently asks for; `None` while stopped.
        interest: Option<Interest>,
    },
}

/// One slot of the slab.
pub(crate) struct Slot<D, P: Poller> {
    /// Bumped each time the slot is freed, so old [`Handle`]s stop matching.
    pub(crate) generation: u32,
    /// `None` while the slot is free.
    pub(crate) kind: Option<Kind>,
    /// Started, and not stopped since.
    pub(crate) active: bool,
    /// Whether, while active, the handle keeps the loop alive (`ref`/`unref`).
    pub(crate) referenced: bool,
    /// `close` was called; the close callback has not run yet.
    pub(crate) closing: bool,
    /// The value of the loop's start counter when the handle was last started. A phase runs only
    /// handles started before it began: one started during the phase waits for the next turn.
    pub(crate) started_at: u64,
    /// The callback of a timer/idle/prepare/check handle. Taken out while it runs.
    pub(crate) callback: Option<Callback<D, P>>,
    /// The callback of an I/O watcher. Taken out while it runs.
    pub(crate) io_callback: Option<IoCallback<D, P>>,
    /// Set by `close`, run in the closing phase.
    pub(crate) close_callback: Option<CloseCallback<D, P>>,
    /// A name for the trace (`None`: the kind's name).
    pub(crate) name: Option<String>,
}

impl<D, P: Poller> Slot<D, P> {
    /// A fresh slot holding `kind`, inactive and referenced (libuv's defaults).
    pub(crate) fn new(generation: u32, kind: Kind) -> Self {
        Slot {
            generation,
            kind: Some(kind),
            active: false,
            referenced: true,
            closing: false,
            started_at: 0,
            callback: None,
            io_callback: None,
            close_callback: None,
            name: None,
        }
    }
}
