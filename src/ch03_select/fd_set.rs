//! `fd_set`: the bitmap that `select(2)` reads and rewrites, one bit per file descriptor.
//!
//! The C library hides it behind four macros (`FD_ZERO`, `FD_SET`, `FD_CLR`, `FD_ISSET`). Here it
//! is spelled out: an array of 64-bit words, fd `n` living in word `n / 64` at bit `n % 64`. The
//! array has a fixed size, [`FD_SETSIZE`] bits, and that size is the whole story of `select`'s
//! limit: glibc's `FD_SET(fd, set)` with `fd >= 1024` does not fail, it writes past the end of
//! the struct, into whatever lives next to it on the stack. [`FdSet::insert`] refuses instead.
//!
//! # Portability
//!
//! The layout must match `libc::fd_set`, because [`FdSet::as_raw_mut`] hands our memory to the
//! kernel as one. Its size is checked at compile time below. glibc stores the bits in an array of
//! `long` (64 bits on 64-bit Linux, so exactly our layout); macOS stores them in `[i32; 32]`. On a
//! little-endian machine the two are the same bytes: bit 37 is bit 5 of byte 4 either way,
//! because a little-endian `u64` is its two `u32` halves in order, low half first. (Every target
//! this book runs on, x86-64 and arm64, is little-endian.)

use std::fmt;
use std::io;
use std::os::fd::RawFd;

/// How many descriptors an `fd_set` can hold: fds `0..FD_SETSIZE`. 1024 on Linux and macOS.
pub const FD_SETSIZE: usize = libc::FD_SETSIZE;

// ANCHOR: layout
/// Bits in one word of the bitmap.
const WORD_BITS: usize = u64::BITS as usize;

/// A set of file descriptors in the exact memory layout of the C library's `fd_set`, so that
/// `select(2)` can read it and write it back.
///
/// Inserting an fd that does not fit is an error ([`FdTooLarge`]), never a write out of bounds.
///
/// # Examples
///
/// ```
/// use eventloops::ch03_select::{FdSet, FdTooLarge};
/// let mut set = FdSet::new();
/// set.insert(3)?;
/// set.insert(70)?; // word 1, bit 6
/// assert!(set.contains(70) && !set.contains(6));
/// assert_eq!(set.insert(1030), Err(FdTooLarge { fd: 1030 }));
/// # Ok::<(), FdTooLarge>(())
/// ```
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct FdSet {
    /// Bit `fd % 64` of word `fd / 64` is set when `fd` is in the set.
    words: [u64; FD_SETSIZE / WORD_BITS],
}

// The kernel reads and writes `size_of::<libc::fd_set>()` bytes through our pointer: ours must be
// exactly that big, and at least as aligned.
const _: () = assert!(size_of::<FdSet>() == size_of::<libc::fd_set>());
const _: () = assert!(align_of::<FdSet>() >= align_of::<libc::fd_set>());
const _: () = assert!(FD_SETSIZE.is_multiple_of(WORD_BITS));
// ANCHOR_END: layout

/// The error for an fd that an `fd_set` cannot hold: negative, or `>= FD_SETSIZE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FdTooLarge {
    /// The descriptor that did not fit.
    pub fd: RawFd,
}

impl fmt::Display for FdTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fd < 0 {
            write!(f, "fd {} is negative and cannot go in an fd_set", self.fd)
        } else {
            write!(
                f,
                "fd {} does not fit in select's fd_set (FD_SETSIZE = {FD_SETSIZE})",
                self.fd
            )
        }
    }
}

impl std::error::Error for FdTooLarge {}

impl From<FdTooLarge> for io::Error {
    fn from(e: FdTooLarge) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidInput, e)
    }
}

// ANCHOR: locate
/// Where `fd` lives in the bitmap: the index of its word and the mask of its bit, or `None`
/// when it is negative or `>= FD_SETSIZE`. Every access goes through here, so no access can be
/// out of bounds.
fn locate(fd: RawFd) -> Option<(usize, u64)> {
    let fd = usize::try_from(fd).ok()?; // negative fds do not exist
    if fd >= FD_SETSIZE {
        return None;
    }
    Some((fd / WORD_BITS, 1u64 << (fd % WORD_BITS)))
}
// ANCHOR_END: locate

impl FdSet {
    /// An empty set (`FD_ZERO`).
    pub fn new() -> FdSet {
        FdSet {
            words: [0; FD_SETSIZE / WORD_BITS],
        }
    }

    // ANCHOR: insert
    /// Adds `fd` (`FD_SET`), or fails with [`FdTooLarge`] when it is negative or does not fit.
    pub fn insert(&mut self, fd: RawFd) -> Result<(), FdTooLarge> {
        let (word, mask) = locate(fd).ok_or(FdTooLarge { fd })?;
        self.words[word] |= mask;
        Ok(())
    }

    /// Removes `fd` (`FD_CLR`); does nothing when it is out of range (it cannot be in the set).
    pub fn remove(&mut self, fd: RawFd) {
        if let Some((word, mask)) = locate(fd) {
            self.words[word] &= !mask;
        }
    }

    /// Whether `fd` is in the set (`FD_ISSET`); `false` when it is out of range.
    pub fn contains(&self, fd: RawFd) -> bool {
        locate(fd).is_some_and(|(word, mask)| self.words[word] & mask != 0)
    }
    // ANCHOR_END: insert

    /// Whether no fd is in the set.
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&w| w == 0)
    }

    /// The fds in the set, in increasing order.
    pub fn iter(&self) -> impl Iterator<Item = RawFd> + '_ {
        (0..FD_SETSIZE as RawFd).filter(|&fd| self.contains(fd))
    }

    /// A pointer to the set as the C library's `fd_set`, for `select(2)`, which reads it and
    /// writes the answer back into it. Valid while `self` is borrowed.
    pub fn as_raw_mut(&mut self) -> *mut libc::fd_set {
        (self as *mut FdSet).cast()
    }
}

impl Default for FdSet {
    fn default() -> FdSet {
        FdSet::new()
    }
}

impl fmt::Debug for FdSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn insert_contains_remove() {
        let mut set = FdSet::new();
        assert!(set.is_empty());
        for fd in [0, 1, 63, 64, 65, 1023] {
            set.insert(fd).unwrap();
            assert!(set.contains(fd), "{fd}");
        }
        assert!(!set.contains(2));
        assert_eq!(set.iter().collect::<Vec<_>>(), [0, 1, 63, 64, 65, 1023]);
        set.remove(64);
        assert!(!set.contains(64));
        assert!(set.contains(63) && set.contains(65));
    }

    #[test]
    fn out_of_range_fds_are_refused_not_written() {
        let mut set = FdSet::new();
        assert_eq!(set.insert(1024), Err(FdTooLarge { fd: 1024 }));
        assert_eq!(set.insert(-1), Err(FdTooLarge { fd: -1 }));
        assert_eq!(set.insert(RawFd::MAX), Err(FdTooLarge { fd: RawFd::MAX }));
        assert!(set.is_empty());
        set.remove(5000);
        set.remove(-3);
        assert!(!set.contains(1024) && !set.contains(-1));
    }

    #[test]
    fn the_error_names_the_fd_and_the_limit() {
        let msg = FdTooLarge { fd: 1030 }.to_string();
        assert!(msg.contains("1030") && msg.contains("1024"), "{msg}");
        let io: io::Error = FdTooLarge { fd: 1030 }.into();
        assert_eq!(io.kind(), io::ErrorKind::InvalidInput);
    }

    #[test]
    fn the_layout_agrees_with_the_c_library_macros() {
        let mut ours = FdSet::new();
        for fd in [0, 5, 63, 64, 100, 512, 1023] {
            ours.insert(fd).unwrap();
        }
        // SAFETY: all-zero is a valid fd_set, and FD_ZERO/FD_SET/FD_ISSET get in-range fds.
        unsafe {
            let mut theirs: libc::fd_set = std::mem::zeroed();
            libc::FD_ZERO(&mut theirs);
            for fd in [0, 5, 63, 64, 100, 512, 1023] {
                libc::FD_SET(fd, &mut theirs);
            }
            let theirs_bytes: [u8; size_of::<libc::fd_set>()] = std::mem::transmute(theirs);
            let ours_bytes: [u8; size_of::<FdSet>()] = std::mem::transmute(ours);
            assert_eq!(theirs_bytes, ours_bytes);
            for fd in 0..FD_SETSIZE as RawFd {
                assert_eq!(libc::FD_ISSET(fd, ours.as_raw_mut()), ours.contains(fd));
            }
        }
    }
}
