//! The small types a registration is made of: the [`Token`] that names it, the [`Interest`] it
//! asks for, and the [`Event`] a callback receives.

use std::fmt;
use std::ops::BitOr;

// ANCHOR: token
/// The name of one registration, returned by [`Loop::on`](super::Loop::on).
///
/// It is a slot index plus the slot's *generation*, which goes up each time the slot is freed.
/// Slots are reused, and so are fd numbers, so neither alone can tell a live registration from
/// a dead one: a token kept after [`Loop::off`](super::Loop::off) has an old generation, and
/// every lookup with it fails instead of reaching whatever registration took the slot since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Token {
    /// Where the registration lives in the loop's table of slots.
    pub(super) index: u32,
    /// Which use of that slot this token names.
    pub(super) generation: u32,
}
// ANCHOR_END: token

impl Token {
    /// The slot index (reused after [`Loop::off`](super::Loop::off)).
    pub fn index(self) -> usize {
        self.index as usize
    }

    /// The slot's generation when this token was issued.
    pub fn generation(self) -> u32 {
        self.generation
    }
}

impl fmt::Display for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}.{}", self.index, self.generation)
    }
}

/// What a registration wants to hear about: readable, writable, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interest {
    /// Call back when a `read` would not block.
    readable: bool,
    /// Call back when a `write` would not block.
    writable: bool,
}

impl Interest {
    /// Readable only: the usual interest of a socket with nothing to send.
    pub const READABLE: Interest = Interest {
        readable: true,
        writable: false,
    };
    /// Writable only.
    pub const WRITABLE: Interest = Interest {
        readable: false,
        writable: true,
    };
    /// Both: a socket with output queued that still listens.
    pub const BOTH: Interest = Interest {
        readable: true,
        writable: true,
    };
    /// Neither: the registration stays, but its fd is in no set, so it cannot wake the loop (a
    /// listener set aside, or a client the server has stopped reading from with nothing to
    /// write to it).
    pub const NONE: Interest = Interest {
        readable: false,
        writable: false,
    };

    /// Whether readability is asked for.
    pub fn is_readable(self) -> bool {
        self.readable
    }

    /// Whether writability is asked for.
    pub fn is_writable(self) -> bool {
        self.writable
    }
}

impl BitOr for Interest {
    type Output = Interest;
    fn bitor(self, other: Interest) -> Interest {
        Interest {
            readable: self.readable || other.readable,
            writable: self.writable || other.writable,
        }
    }
}

/// What a callback is told: which registration is ready, and for what. Only what the
/// registration currently asks for is ever set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Event {
    /// The registration that is ready.
    pub token: Token,
    /// A `read` would not block.
    pub readable: bool,
    /// A `write` would not block.
    pub writable: bool,
}
