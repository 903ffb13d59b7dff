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
//! * [`exclusive_epoll`]: the small epoll, watching the listener with `EPOLLEXCLUSIVE`;
//! * [`drain_exclusive_epoll`]: after accepting, empty its ready list (a wait with timeout 0),
//!   so that it reports the listener again only when the kernel wakes it for a new connection.
//!
//! Elsewhere `exclusive_epoll` fails with [`ErrorKind::Unsupported`](std::io::ErrorKind).

#[cfg(any(target_os = "linux", target_os = "android"))]
#[path = "exclusive/linux.rs"]
mod os;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
#[path = "exclusive/unsupported.rs"]
mod os;

pub use os::{drain_exclusive_epoll, exclusive_epoll};
