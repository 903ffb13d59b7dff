//! Chapter 3: waiting in the kernel with `select(2)`.
//!
//! Chapter 2's server asked every socket "anything for me?" in a loop and burned a core doing it.
//! Here the program hands the kernel a list of fds and sleeps until one of them is ready. The
//! list is an [`FdSet`], a fixed-size bitmap that holds fds below [`FD_SETSIZE`] and nothing
//! else; [`select()`] is the system call; [`chat::ChatServer`] is the chat server built on them.
//! [`poll`](mod@poll) is the sequel that has no fd limit.

pub mod backpressure;
pub mod chat;
pub mod conn;
pub mod fd_set;
pub mod poll;
pub mod select;

pub use fd_set::{FD_SETSIZE, FdSet, FdTooLarge};
pub use select::select;
