//! The per-process limit on open file descriptors (`RLIMIT_NOFILE`).
//!
//! A server that holds one fd per client hits the soft limit long before the kernel's hard
//! limit. Raising the soft limit up to the hard limit needs no privilege; raising the hard limit
//! does.

use super::ok_or_errno;
use std::io;

/// The soft and hard limits on open file descriptors, as `getrlimit(2)` reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FdLimit {
    /// The limit the kernel enforces now: `EMFILE` past it.
    pub soft: libc::rlim_t,
    /// The ceiling an unprivileged process may raise the soft limit to.
    pub hard: libc::rlim_t,
}

/// Reads the current fd limits.
pub fn fd_limit() -> io::Result<FdLimit> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `lim` is a valid, writable `rlimit` for the duration of the call.
    ok_or_errno(unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut lim) })?;
    Ok(FdLimit {
        soft: lim.rlim_cur,
        hard: lim.rlim_max,
    })
}

/// Raises the soft fd limit to `wanted`, capped at the hard limit, and returns the new limits.
/// Never lowers it.
pub fn raise_fd_limit(wanted: libc::rlim_t) -> io::Result<FdLimit> {
    let now = fd_limit()?;
    let target = wanted.min(now.hard);
    if target <= now.soft {
        return Ok(now);
    }
    let lim = libc::rlimit {
        rlim_cur: target,
        rlim_max: now.hard,
    };
    // SAFETY: `lim` is a valid, initialised `rlimit` for the duration of the call.
    ok_or_errno(unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &lim) })?;
    fd_limit()
}
