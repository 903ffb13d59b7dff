//! The callback registry: `on(fd, interest, callback)`, and a loop that waits with `select` and
//! calls back whoever is ready.
//!
//! Callbacks receive `&mut Loop`, so they can register, change and deregister handles — other
//! ones and their own — while the loop is dispatching. Three rules make that safe:
//!
//! 1. **The batch is collected first.** After `select` returns, the loop copies the ready
//!    tokens into a `Vec` and only then starts calling. It never calls back while walking its
//!    own table (Rust would not let it: the callback needs `&mut Loop`).
//! 2. **A running callback is out of its slot.** It is taken out (`Option::take`) for the
//!    duration of the call, so the loop and the callback are never borrowed twice, and put back
//!    afterwards only if its registration still exists.
//! 3. **Every event is checked again just before its call.** The token's generation must still
//!    match (the registration was not removed, its slot not reused), and the event is masked
//!    with the registration's *current* interest. A handle deregistered by an earlier callback
//!    in the same batch is skipped, as libuv's `uv__io_poll` skips watchers closed meanwhile.

use super::token::{Event, Interest, Token};
use crate::ch03_select::{FdSet, FdTooLarge, select};
use crate::sys::signal;
use std::io;
use std::os::fd::RawFd;
use std::time::Duration;

// ANCHOR: types
/// A callback: called with the loop itself, so it may change any registration, and the event.
/// `'static` because the loop keeps it for as long as the registration lives: it may not borrow
/// anything from the stack frame that registered it.
pub type Callback = Box<dyn FnMut(&mut Loop, Event)>;

/// One registration.
struct Entry {
    /// The fd to watch. The loop does not own it: whoever does must keep it open while it is
    /// registered (a closed fd in a set makes `select` fail with `EBADF`).
    fd: RawFd,
    /// What to watch it for.
    interest: Interest,
    /// The callback, or `None` while it is running (it has been taken out to be called).
    callback: Option<Callback>,
}

/// A place in the table: its current generation, and the registration using it, if any.
struct Slot {
    /// Goes up every time the slot is freed, so old tokens stop matching.
    generation: u32,
    /// The registration, or `None` when the slot is free.
    entry: Option<Entry>,
}

/// An event loop on `select(2)`: a table of registrations, each an fd, an interest and a
/// callback.
///
/// # Examples
///
/// ```
/// use eventloops::ch04_registry::{Interest, Loop};
/// use std::io::Write;
/// use std::os::fd::AsRawFd;
/// use std::os::unix::net::UnixStream;
/// # fn main() -> std::io::Result<()> {
/// let (a, mut b) = UnixStream::pair()?;
/// b.write_all(b"hi")?;
/// let mut lp = Loop::new();
/// // The callback owns `a`: deregistering drops the callback, which closes the socket.
/// lp.on(a.as_raw_fd(), Interest::READABLE, move |lp, event| {
///     let _ = &a;
///     assert!(event.readable);
///     lp.off(event.token);
/// })?;
/// lp.run()?; // one turn: the callback runs and deregisters; nothing is left, so run returns
/// assert!(lp.is_empty());
/// # Ok(())
/// # }
/// ```
pub struct Loop {
    /// The registrations, indexed by `Token::index`.
    slots: Vec<Slot>,
    /// Indexes of free slots, reused before the table grows.
    free: Vec<u32>,
    /// How many slots hold a registration.
    live: usize,
    /// Set by [`Loop::stop`]: [`Loop::run`] returns after the current turn.
    stopped: bool,
}
// ANCHOR_END: types

impl Loop {
    /// An empty loop.
    pub fn new() -> Loop {
        Loop {
            slots: Vec::new(),
            free: Vec::new(),
            live: 0,
            stopped: false,
        }
    }

    // ANCHOR: on
    /// Registers `callback` to be called when `fd` is ready for `interest`. Fails when `fd`
    /// cannot go in an `fd_set` (this loop waits with `select`).
    pub fn on<F>(&mut self, fd: RawFd, interest: Interest, callback: F) -> Result<Token, FdTooLarge>
    where
        F: FnMut(&mut Loop, Event) + 'static,
    {
        FdSet::new().insert(fd)?; // the same check the sets will make every turn
        let entry = Entry {
            fd,
            interest,
            callback: Some(Box::new(callback)),
        };
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                self.slots.push(Slot {
                    generation: 0,
                    entry: None,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let slot = &mut self.slots[index as usize];
        slot.entry = Some(entry);
        self.live += 1;
        Ok(Token {
            index,
            generation: slot.generation,
        })
    }

    /// Removes the registration `token` names; returns `false` if there is none (already
    /// removed, or a token from a slot's earlier use). Its callback is dropped now, or, if it
    /// is the one running, as soon as it returns.
    pub fn off(&mut self, token: Token) -> bool {
        let Some(slot) = self.slot_mut(token) else {
            return false;
        };
        let entry = slot.entry.take();
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(token.index);
        self.live -= 1;
        drop(entry); // drops the callback and whatever it owns, e.g. the socket
        true
    }
    // ANCHOR_END: on

    /// Changes what `token`'s registration waits for; `false` if it is not registered.
    pub fn set_interest(&mut self, token: Token, interest: Interest) -> bool {
        match self.slot_mut(token) {
            Some(slot) => {
                if let Some(entry) = slot.entry.as_mut() {
                    entry.interest = interest;
                }
                true
            }
            None => false,
        }
    }

    /// What `token`'s registration waits for, if it is registered.
    pub fn interest(&self, token: Token) -> Option<Interest> {
        let slot = self.slots.get(token.index())?;
        let entry = slot.entry.as_ref()?;
        (slot.generation == token.generation).then_some(entry.interest)
    }

    /// Whether `token` names a live registration.
    pub fn is_registered(&self, token: Token) -> bool {
        self.interest(token).is_some()
    }

    /// How many registrations there are.
    pub fn len(&self) -> usize {
        self.live
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The tokens of every registration, in slot order. It borrows the loop: to change the
    /// loop for each one, collect them into a `Vec` first.
    pub fn tokens(&self) -> impl Iterator<Item = Token> + '_ {
        self.slots.iter().enumerate().filter_map(|(index, slot)| {
            slot.entry.as_ref().map(|_| Token {
                index: index as u32,
                generation: slot.generation,
            })
        })
    }

    /// Makes [`Loop::run`] return once the current turn is over.
    pub fn stop(&mut self) {
        self.stopped = true;
    }

    /// Whether [`Loop::stop`] was called: for a program that turns the loop itself.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// The slot a token names, if the token is current: the slot holds a registration and has
    /// the token's generation.
    fn slot_mut(&mut self, token: Token) -> Option<&mut Slot> {
        let slot = self.slots.get_mut(token.index())?;
        (slot.entry.is_some() && slot.generation == token.generation).then_some(slot)
    }

    // ANCHOR: turn
    /// One turn: wait with `select` (at most `timeout`; `None` for ever), then call back every
    /// registration that is ready. Returns how many callbacks ran.
    ///
    /// `EINTR` is handled here, and only here: an interrupted wait is a turn in which nothing
    /// happened (`Ok(0)`); [`Loop::run`] then looks at the stop flag.
    pub fn turn(&mut self, timeout: Option<Duration>) -> io::Result<usize> {
        let (mut read, mut write, nfds) = self.build_sets();
        match select(nfds, Some(&mut read), Some(&mut write), timeout) {
            Ok(0) => return Ok(0),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(0),
            Err(e) => return Err(e),
        }
        // Rule 1: the batch is fixed before anyone is called.
        let batch: Vec<Event> = self
            .tokens()
            .filter_map(|token| {
                let fd = self.slots[token.index()].entry.as_ref()?.fd;
                let event = Event {
                    token,
                    readable: read.contains(fd),
                    writable: write.contains(fd),
                };
                (event.readable || event.writable).then_some(event)
            })
            .collect();
        Ok(self.dispatch(batch))
    }

    /// Sets for this turn from the table: each registration's fd in the set its interest asks.
    fn build_sets(&self) -> (FdSet, FdSet, libc::c_int) {
        let mut read = FdSet::new();
        let mut write = FdSet::new();
        let mut nfds = 0;
        for entry in self.slots.iter().filter_map(|slot| slot.entry.as_ref()) {
            // Cannot fail: `on` checked that the fd fits.
            if entry.interest.is_readable() {
                let _ = read.insert(entry.fd);
            }
            if entry.interest.is_writable() {
                let _ = write.insert(entry.fd);
            }
            nfds = nfds.max(entry.fd + 1);
        }
        (read, write, nfds)
    }
    // ANCHOR_END: turn

    // ANCHOR: dispatch
    /// Calls back each event of `batch` whose registration still exists, with the event masked
    /// by its current interest. Returns how many callbacks ran.
    fn dispatch(&mut self, batch: Vec<Event>) -> usize {
        let mut called = 0;
        for event in batch {
            // Rule 3: still registered, same generation? (Else an earlier callback removed it.)
            let Some(entry) = self.slot_mut(event.token).and_then(|s| s.entry.as_mut()) else {
                continue;
            };
            let event = Event {
                readable: event.readable && entry.interest.is_readable(),
                writable: event.writable && entry.interest.is_writable(),
                ..event
            };
            if !event.readable && !event.writable {
                continue; // it stopped asking for what happened
            }
            // Rule 2: out of its slot while it runs. (`None` would mean it is running already:
            // impossible, since callbacks never call `turn`, but skipping is the safe answer.)
            let Some(mut callback) = entry.callback.take() else {
                continue;
            };
            callback(self, event);
            called += 1;
            // Back in its slot, unless the callback (or one it called) deregistered it, in
            // which case it is dropped here, closing whatever it owns.
            if let Some(entry) = self.slot_mut(event.token).and_then(|s| s.entry.as_mut())
                && entry.callback.is_none()
            {
                entry.callback = Some(callback);
            }
        }
        called
    }
    // ANCHOR_END: dispatch

    // ANCHOR: run
    /// Runs turns until [`Loop::stop`] is called, no registration is left, or Ctrl-C
    /// (`SIGINT`) / `SIGTERM` arrives (see [`crate::sys::signal`]).
    pub fn run(&mut self) -> io::Result<()> {
        while !self.stopped && !self.is_empty() && !signal::stop_requested() {
            self.turn(None)?;
        }
        Ok(())
    }
    // ANCHOR_END: run
}

impl Default for Loop {
    fn default() -> Loop {
        Loop::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::{Cell, RefCell};
    use std::io::Write;
    use std::os::fd::AsRawFd;
    use std::os::unix::net::UnixStream;
    use std::rc::Rc;

    /// A connected pair with a byte waiting on the first end, which is therefore readable.
    fn readable_pair() -> (UnixStream, UnixStream) {
        let (a, mut b) = UnixStream::pair().unwrap();
        b.write_all(b"x").unwrap();
        (a, b)
    }

    const NOW: Option<Duration> = Some(Duration::ZERO);

    // ANCHOR: test_deregistered_earlier
    #[test]
    fn a_handle_deregistered_earlier_in_the_turn_is_not_called() {
        let (a, _a2) = readable_pair();
        let (b, _b2) = readable_pair();
        let mut lp = Loop::new();
        let calls = Rc::new(Cell::new(0));
        let other: Rc<Cell<Option<Token>>> = Rc::new(Cell::new(None));
        // Each callback removes the other one: whichever runs first, the second must not run.
        let (c, o) = (calls.clone(), other.clone());
        let ta = lp
            .on(a.as_raw_fd(), Interest::READABLE, move |lp, _| {
                c.set(c.get() + 1);
                lp.off(o.get().unwrap());
            })
            .unwrap();
        let c = calls.clone();
        let tb = lp
            .on(b.as_raw_fd(), Interest::READABLE, move |lp, _| {
                c.set(c.get() + 1);
                lp.off(ta);
            })
            .unwrap();
        other.set(Some(tb));
        assert_eq!(lp.turn(NOW).unwrap(), 1);
        assert_eq!(
            calls.get(),
            1,
            "both ready, but the second was removed by the first"
        );
        assert_eq!(lp.len(), 1);
    }
    // ANCHOR_END: test_deregistered_earlier

    #[test]
    fn a_registration_made_during_dispatch_waits_for_the_next_turn() {
        let (a, _a2) = readable_pair();
        let (late, _late2) = readable_pair(); // readable already, but not in this turn's batch
        let late_fd = late.as_raw_fd();
        let mut lp = Loop::new();
        let late_calls = Rc::new(Cell::new(0));
        let lc = late_calls.clone();
        lp.on(a.as_raw_fd(), Interest::READABLE, move |lp, ev| {
            lp.off(ev.token);
            let lc = lc.clone();
            lp.on(late_fd, Interest::READABLE, move |_, _| {
                lc.set(lc.get() + 1)
            })
            .unwrap();
        })
        .unwrap();
        assert_eq!(lp.turn(NOW).unwrap(), 1);
        assert_eq!(
            late_calls.get(),
            0,
            "called for a readiness it never asked for"
        );
        assert_eq!(lp.turn(NOW).unwrap(), 1);
        assert_eq!(late_calls.get(), 1);
    }

    #[test]
    fn a_callback_that_deregisters_itself_is_dropped_after_it_returns() {
        let (a, _a2) = readable_pair();
        let mut lp = Loop::new();
        let owned = Rc::new(());
        let held = owned.clone();
        let calls = Rc::new(Cell::new(0));
        let c = calls.clone();
        let token = lp
            .on(a.as_raw_fd(), Interest::READABLE, move |lp, ev| {
                let _keep = &held; // the callback owns a clone
                c.set(c.get() + 1);
                assert!(lp.off(ev.token));
                assert!(!lp.off(ev.token), "twice");
            })
            .unwrap();
        assert_eq!(Rc::strong_count(&owned), 2);
        assert_eq!(lp.turn(NOW).unwrap(), 1);
        assert_eq!(calls.get(), 1);
        assert!(!lp.is_registered(token));
        assert_eq!(Rc::strong_count(&owned), 1, "the callback was not dropped");
        assert_eq!(lp.turn(NOW).unwrap(), 0);
    }

    #[test]
    fn a_callback_can_change_its_own_interest() {
        let (a, mut peer) = UnixStream::pair().unwrap();
        peer.write_all(b"x").unwrap();
        let mut lp = Loop::new();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        let token = lp
            .on(a.as_raw_fd(), Interest::READABLE, move |lp, ev| {
                s.borrow_mut().push((ev.readable, ev.writable));
                let next = if ev.readable {
                    Interest::WRITABLE
                } else {
                    Interest::READABLE
                };
                assert!(lp.set_interest(ev.token, next));
            })
            .unwrap();
        lp.turn(NOW).unwrap(); // readable: switches to writable
        lp.turn(NOW).unwrap(); // writable (and still readable, but no longer asked for)
        assert_eq!(*seen.borrow(), [(true, false), (false, true)]);
        assert_eq!(lp.interest(token), Some(Interest::READABLE));
    }

    #[test]
    fn a_callback_can_replace_itself_with_a_new_registration() {
        // off + on from inside the callback: the new registration (writable, another callback)
        // takes the same slot with a new generation; the old callback is dropped, not put back
        // over the new one.
        let (a, mut peer) = UnixStream::pair().unwrap();
        peer.write_all(b"x").unwrap();
        let fd = a.as_raw_fd();
        let mut lp = Loop::new();
        let seen = Rc::new(RefCell::new(Vec::new()));
        let s = seen.clone();
        let first = lp
            .on(fd, Interest::READABLE, move |lp, ev| {
                s.borrow_mut().push("read");
                assert!(lp.off(ev.token));
                let s = s.clone();
                lp.on(fd, Interest::WRITABLE, move |_, ev| {
                    assert!(ev.writable && !ev.readable);
                    s.borrow_mut().push("write");
                })
                .unwrap();
            })
            .unwrap();
        lp.turn(NOW).unwrap();
        lp.turn(NOW).unwrap();
        lp.turn(NOW).unwrap();
        assert_eq!(*seen.borrow(), ["read", "write", "write"]);
        let second = lp.tokens().next().unwrap();
        assert_eq!(second.index(), first.index());
        assert_ne!(second, first);
        assert_eq!(lp.interest(second), Some(Interest::WRITABLE));
    }

    // ANCHOR: test_reused_slot
    #[test]
    fn a_reused_slot_does_not_get_its_old_owners_events() {
        // a and b are both readable. a's callback (dispatched first: slots go in index order)
        // closes b, deregisters it, and registers c, which is not readable. c takes b's slot,
        // and very likely b's fd number too. b's readiness is still in this turn's batch: only
        // the generation in the token stops it from reaching c.
        let (a, _a2) = readable_pair();
        let (b, _b2) = readable_pair();
        let b_fd = b.as_raw_fd();
        let mut b = Some(b);
        let mut lp = Loop::new();
        let b_token: Rc<Cell<Option<Token>>> = Rc::new(Cell::new(None));
        let c_token: Rc<Cell<Option<Token>>> = Rc::new(Cell::new(None));
        let c_calls = Rc::new(Cell::new(0));
        let keep_open = Rc::new(RefCell::new(Vec::new()));
        let (bt, ct, cc, keep) = (
            b_token.clone(),
            c_token.clone(),
            c_calls.clone(),
            keep_open.clone(),
        );
        let ta = lp
            .on(a.as_raw_fd(), Interest::READABLE, move |lp, _| {
                lp.off(bt.get().unwrap());
                drop(b.take()); // close b's socket
                let (c, c2) = UnixStream::pair().unwrap(); // nothing to read on c
                let cc = cc.clone();
                let token = lp.on(c.as_raw_fd(), Interest::READABLE, move |_, _| {
                    cc.set(cc.get() + 1)
                });
                ct.set(Some(token.unwrap()));
                keep.borrow_mut().push((c, c2));
            })
            .unwrap();
        let tb = lp
            .on(b_fd, Interest::READABLE, |_, _| {
                panic!("b was deregistered before its turn")
            })
            .unwrap();
        b_token.set(Some(tb));
        assert!(ta.index() < tb.index());

        assert_eq!(lp.turn(NOW).unwrap(), 1, "only a ran");
        let tc = c_token.get().unwrap();
        assert_eq!(tc.index(), tb.index(), "c took b's slot");
        assert_ne!(tc.generation(), tb.generation());
        assert_eq!(c_calls.get(), 0, "c received b's event");
        assert!(!lp.is_registered(tb) && lp.is_registered(tc));
    }
    // ANCHOR_END: test_reused_slot

    #[test]
    fn stale_tokens_change_nothing() {
        let (a, _a2) = readable_pair();
        let mut lp = Loop::new();
        let t1 = lp.on(a.as_raw_fd(), Interest::READABLE, |_, _| {}).unwrap();
        assert!(lp.off(t1));
        let t2 = lp.on(a.as_raw_fd(), Interest::READABLE, |_, _| {}).unwrap();
        assert_eq!(t1.index(), t2.index());
        assert!(!lp.off(t1));
        assert!(!lp.set_interest(t1, Interest::WRITABLE));
        assert_eq!(lp.interest(t2), Some(Interest::READABLE));
        assert_eq!(lp.tokens().collect::<Vec<_>>(), [t2]);
    }

    #[test]
    fn an_fd_past_fd_setsize_cannot_be_registered() {
        let mut lp = Loop::new();
        let err = lp.on(1500, Interest::READABLE, |_, _| {}).unwrap_err();
        assert_eq!(err, FdTooLarge { fd: 1500 });
        assert!(lp.is_empty());
    }

    #[test]
    fn run_returns_on_stop_or_when_nothing_is_left() {
        let (a, _a2) = readable_pair();
        let mut lp = Loop::new();
        lp.on(a.as_raw_fd(), Interest::READABLE, |lp, _| lp.stop())
            .unwrap();
        lp.run().unwrap(); // returns: stopped
        assert_eq!(lp.len(), 1);
        let mut lp = Loop::new();
        lp.on(a.as_raw_fd(), Interest::READABLE, |lp, ev| {
            lp.off(ev.token);
        })
        .unwrap();
        lp.run().unwrap(); // returns: empty
        assert!(lp.is_empty());
    }
}
