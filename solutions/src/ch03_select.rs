//! Chapter 3 exercises: the `fd_set` bit arithmetic, and rebuilding the sets every turn.
//!
//! Read the chapter first: `book/src/ch03-select.md`. Check your work with
//! `cargo test -p exercises-ch03`.

use eventloops::ch03_select::{FdSet, FdTooLarge};
use std::os::fd::RawFd;

/// How many fds the bitmap holds, like the C library's `FD_SETSIZE`.
pub const FD_SETSIZE: usize = 1024;

/// Bits in one word of the bitmap.
pub const WORD_BITS: usize = 64;

/// Exercise ch03.1: where `fd` lives in a bitmap of `FD_SETSIZE / WORD_BITS` words of 64 bits.
///
/// Returns the index of its word and a mask with only its bit set, or `None` when `fd` is
/// negative or `>= FD_SETSIZE` (it does not fit, and nothing may be written for it).
pub fn locate(fd: RawFd) -> Option<(usize, u64)> {
    let fd = usize::try_from(fd).ok()?;
    if fd >= FD_SETSIZE {
        return None;
    }
    Some((fd / WORD_BITS, 1 << (fd % WORD_BITS)))
}

/// A bitmap with the layout of the C library's `fd_set`, built on [`locate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bitmap {
    /// Bit `fd % 64` of word `fd / 64` is set when `fd` is in the set.
    pub words: [u64; FD_SETSIZE / WORD_BITS],
}

impl Bitmap {
    /// An empty bitmap.
    pub fn new() -> Bitmap {
        Bitmap {
            words: [0; FD_SETSIZE / WORD_BITS],
        }
    }

    /// Adds `fd`; returns `false` (and changes nothing) when it does not fit.
    pub fn insert(&mut self, fd: RawFd) -> bool {
        match locate(fd) {
            Some((word, mask)) => {
                self.words[word] |= mask;
                true
            }
            None => false,
        }
    }

    /// Removes `fd`; nothing happens when it does not fit.
    pub fn remove(&mut self, fd: RawFd) {
        if let Some((word, mask)) = locate(fd) {
            self.words[word] &= !mask;
        }
    }

    /// Whether `fd` is in the bitmap.
    pub fn contains(&self, fd: RawFd) -> bool {
        locate(fd).is_some_and(|(word, mask)| self.words[word] & mask != 0)
    }
}

impl Default for Bitmap {
    fn default() -> Bitmap {
        Bitmap::new()
    }
}

/// What the loop knows about one client when it builds its sets.
#[derive(Debug, Clone, Copy)]
pub struct ClientView {
    /// The client's socket.
    pub fd: RawFd,
    /// Bytes queued for it and not yet written.
    pub pending: usize,
}

/// Exercise ch03.2: this turn's sets, from scratch.
///
/// The read set holds the listener and every client; the write set only the clients with bytes
/// pending. Returns the two sets and `nfds`, one more than the highest fd in either set. An fd
/// that does not fit is an error, passed up.
pub fn build_sets(
    listener: RawFd,
    clients: &[ClientView],
) -> Result<(FdSet, FdSet, libc::c_int), FdTooLarge> {
    let mut read = FdSet::new();
    let mut write = FdSet::new();
    read.insert(listener)?;
    let mut max_fd = listener;
    for client in clients {
        read.insert(client.fd)?;
        if client.pending > 0 {
            write.insert(client.fd)?;
        }
        max_fd = max_fd.max(client.fd);
    }
    Ok((read, write, max_fd + 1))
}
