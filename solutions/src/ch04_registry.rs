//! Chapter 4 exercises: a registry's tokens with generations, and a dispatch that survives
//! callbacks changing the registry under it.
//!
//! `MiniLoop` is chapter 4's `Loop` without the waiting: it has slots, tokens and callbacks, and
//! you hand it the batch of ready tokens yourself. Read the chapter first:
//! `book/src/ch04-registry.md`. Check your work with `cargo test -p exercises-ch04`.

/// A callback: it gets the loop (to register and deregister) and its own token.
pub type MiniCallback = Box<dyn FnMut(&mut MiniLoop, Token)>;

/// Names a registration: a slot index and the generation of that slot when it was issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// The slot.
    pub index: usize,
    /// The slot's generation when the token was issued.
    pub generation: u32,
}

/// One place in the table.
pub struct Slot {
    /// Goes up by one each time the slot is freed.
    pub generation: u32,
    /// Whether a registration uses the slot.
    pub registered: bool,
    /// The callback; `None` when the slot is free, or while the callback is running.
    pub callback: Option<MiniCallback>,
}

/// A table of callbacks, without the waiting.
pub struct MiniLoop {
    /// The slots, indexed by `Token::index`.
    pub slots: Vec<Slot>,
    /// Free slot indexes, to reuse before growing `slots`.
    pub free: Vec<usize>,
}

impl MiniLoop {
    /// An empty loop.
    pub fn new() -> MiniLoop {
        MiniLoop {
            slots: Vec::new(),
            free: Vec::new(),
        }
    }

    /// Exercise ch04.1: registers `callback` and returns its token.
    ///
    /// Reuse a free slot if there is one (`free`), else push a new slot with generation 0. The
    /// token carries the slot's *current* generation: `deregister` has already bumped it, so a
    /// token from the slot's previous use no longer matches.
    pub fn register(&mut self, callback: impl FnMut(&mut MiniLoop, Token) + 'static) -> Token {
        let index = match self.free.pop() {
            Some(index) => index,
            None => {
                self.slots.push(Slot {
                    generation: 0,
                    registered: false,
                    callback: None,
                });
                self.slots.len() - 1
            }
        };
        let slot = &mut self.slots[index];
        slot.registered = true;
        slot.callback = Some(Box::new(callback));
        Token {
            index,
            generation: slot.generation,
        }
    }

    /// Whether `token` names a live registration: its slot is in use, with its generation.
    pub fn is_registered(&self, token: Token) -> bool {
        self.slots
            .get(token.index)
            .is_some_and(|slot| slot.registered && slot.generation == token.generation)
    }

    /// Removes a registration (dropping its callback, unless it is the one running) and frees
    /// its slot. `false` for a token that is not registered.
    pub fn deregister(&mut self, token: Token) -> bool {
        if !self.is_registered(token) {
            return false;
        }
        let slot = &mut self.slots[token.index];
        slot.registered = false;
        slot.callback = None;
        slot.generation = slot.generation.wrapping_add(1);
        self.free.push(token.index);
        true
    }

    /// Exercise ch04.2: calls the callback of each token in `ready`, in order, and returns how
    /// many were called.
    ///
    /// Callbacks may register and deregister anything, themselves included. Skip a token that
    /// is no longer registered when its turn comes (an earlier callback removed it, or its slot
    /// was reused). Take the callback out of its slot to call it, with the loop; afterwards put
    /// it back only if the token is still registered and nothing else took its place.
    pub fn dispatch(&mut self, ready: &[Token]) -> usize {
        let mut called = 0;
        for &token in ready {
            if !self.is_registered(token) {
                continue;
            }
            let Some(mut callback) = self.slots[token.index].callback.take() else {
                continue;
            };
            callback(self, token);
            called += 1;
            if self.is_registered(token) && self.slots[token.index].callback.is_none() {
                self.slots[token.index].callback = Some(callback);
            }
        }
        called
    }
}

impl Default for MiniLoop {
    fn default() -> MiniLoop {
        MiniLoop::new()
    }
}
