//! Chapter 3: waiting in the kernel with `select(2)`.
//!
//! (Stand-in on the chapter 6 branch: the same public API as chapter 3's real module, which
//! replaces it at merge.)

pub mod fd_set;
pub mod select;

pub use fd_set::{FD_SETSIZE, FdSet, FdTooLarge};
pub use select::select;
