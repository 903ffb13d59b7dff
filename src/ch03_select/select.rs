//! The `select(2)` call itself.

use super::FdSet;
use crate::sys::ok_or_errno;
use std::io;
use std::time::Duration;

/// Waits until an fd below `nfds` in `read` or `write` is ready, or `timeout` passes (`None`:
/// forever). On return the sets hold only the ready fds; returns how many.
pub fn select(
    nfds: libc::c_int,
    read: Option<&mut FdSet>,
    write: Option<&mut FdSet>,
    timeout: Option<Duration>,
) -> io::Result<usize> {
    let mut tv = timeout.map(|t| libc::timeval {
        tv_sec: t.as_secs().min(libc::time_t::MAX as u64) as libc::time_t,
        tv_usec: t.subsec_micros() as libc::suseconds_t,
    });
    let tv_ptr = tv
        .as_mut()
        .map_or(std::ptr::null_mut(), |t| t as *mut libc::timeval);
    let read_ptr = read.map_or(std::ptr::null_mut(), FdSet::as_raw_mut);
    let write_ptr = write.map_or(std::ptr::null_mut(), FdSet::as_raw_mut);
    // SAFETY: each pointer is null or points to a valid fd_set/timeval that outlives the call;
    // FdSet only holds fds below FD_SETSIZE.
    let n = ok_or_errno(unsafe {
        libc::select(nfds, read_ptr, write_ptr, std::ptr::null_mut(), tv_ptr)
    })?;
    Ok(n as usize)
}
