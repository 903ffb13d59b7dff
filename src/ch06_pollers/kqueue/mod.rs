//! The macOS and BSD backend: `kqueue(2)` and `kevent(2)`.
//!
//! Like epoll, the interest list lives in the kernel and a wait returns only what is ready:
//! O(ready). Unlike epoll, one call both changes the interest list (a *changelist* of `kevent`
//! structs) and waits, and readiness is per (fd, filter), not per fd.
//!
//! The logic (which changes an interest makes, what a returned kevent means) is in
//! [`changes`], plain Rust compiled and tested everywhere. Only `ffi.rs`, which builds
//! `struct kevent` and calls `kqueue`/`kevent`, is compiled on the OSes that have them. On the
//! others [`Kqueue`] is a stand-in whose `new` fails with a clear error.

pub mod changes;

#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
mod ffi;

#[cfg(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
))]
pub use ffi::Kqueue;

#[cfg(not(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)))]
pub use super::unavailable::Kqueue;
