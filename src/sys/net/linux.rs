//! Linux: sockets are created close-on-exec in the same call that makes them.

use super::{from_sockaddr, ok_or_errno};
use std::io;
use std::net::SocketAddrV4;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// `send` flags: no `SIGPIPE` for a closed peer, `EPIPE` instead.
pub(super) const SEND_FLAGS: libc::c_int = libc::MSG_NOSIGNAL;

pub(super) fn tcp_socket() -> io::Result<OwnedFd> {
    // SAFETY: plain integer arguments; no pointers.
    let fd = ok_or_errno(unsafe {
        libc::socket(libc::AF_INET, libc::SOCK_STREAM | libc::SOCK_CLOEXEC, 0)
    })?;
    // SAFETY: `fd` was just returned by socket(2), is open, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

pub(super) fn accept_cloexec(listener: BorrowedFd<'_>) -> io::Result<(OwnedFd, SocketAddrV4)> {
    // SAFETY: all-zero is a valid sockaddr_in; the kernel overwrites it.
    let mut addr: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: `addr` and `len` are valid and writable, and `len` holds `addr`'s size.
    let fd = ok_or_errno(unsafe {
        libc::accept4(
            listener.as_raw_fd(),
            (&mut addr as *mut libc::sockaddr_in).cast(),
            &mut len,
            libc::SOCK_CLOEXEC,
        )
    })?;
    // SAFETY: `fd` was just returned by accept4(2), is open, and nothing else owns it.
    Ok((unsafe { OwnedFd::from_raw_fd(fd) }, from_sockaddr(&addr)))
}

pub(super) fn accept_nonblocking(listener: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    // SAFETY: null address pointers are allowed (we do not ask for the peer's address).
    let fd = ok_or_errno(unsafe {
        libc::accept4(
            listener.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
        )
    })?;
    // SAFETY: `fd` was just returned by accept4(2), is open, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}
