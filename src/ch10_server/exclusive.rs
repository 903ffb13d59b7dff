//! One listener shared by every worker, without the thundering herd: `EPOLLEXCLUSIVE`.
//!
//! When several epoll instances watch the same listening socket, a new connection wakes *all*
//! of them; one wins the `accept`, the others find the queue empty and go back to sleep, having
//! spent a wake-up for nothing. Linux 4.5 added `EPOLLEXCLUSIVE`: among the epoll instances
//! that registered the fd with it, the kernel wakes one (or a few) per event.
//!
//! The flag exists only on Linux's epoll, so the book's [`Poller`](crate::ch06_pollers::Poller)
//! has no word for it. A worker therefore puts a small epoll of its own in front of the shared
//! listener, registered with `EPOLLEXCLUSIVE`, and its loop watches that epoll's fd, which is
//! readable when the listener woke it. (An epoll fd can be watched like any other.)
//!
//! Nobody ever waits on the small epoll itself: when the worker's loop asks whether it is
//! readable, the kernel looks at the listener again, and once `accept` has emptied the queue
//! the small epoll stops being readable too. (Waiting on it with a zero timeout to "empty" it
//! would do the opposite: a level-triggered entry is put back on the ready list each time it is
//! reported, and the loop would be woken once more for nothing.)
//!
//! Elsewhere [`exclusive_epoll`] fails with [`ErrorKind::Unsupported`](std::io::ErrorKind).

#[cfg(any(target_os = "linux", target_os = "android"))]
#[path = "exclusive/linux.rs"]
mod os;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
#[path = "exclusive/unsupported.rs"]
mod os;

pub use os::exclusive_epoll;
