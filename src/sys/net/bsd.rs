//! macOS and the BSDs: `FD_CLOEXEC` is set with `fcntl(2)` right after the fd is made. (A program
//! that forks from another thread in between could leak the fd; these programs do not.)

use super::{from_sockaddr, ok_or_errno};
use std::io;
use std::net::SocketAddrV4;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

/// `send` flags: none (macOS has no `MSG_NOSIGNAL`; Rust programs ignore `SIGPIPE` anyway).
pub(super) const SEND_FLAGS: libc::c_int = 0;

fn set_cloexec(fd: &OwnedFd) -> io::Result<()> {
    // SAFETY: F_SETFD on an open fd with an int argument takes no pointer.
    ok_or_errno(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
    Ok(())
}

pub(super) fn tcp_socket() -> io::Result<OwnedFd> {
    // SAFETY: plain integer arguments; no pointers.
    let fd = ok_or_errno(unsafe { libc::socket(libc::AF_INET, libc::SOCK_STREAM, 0) })?;
    // SAFETY: `fd` was just returned by socket(2), is open, and nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    set_cloexec(&fd)?;
    Ok(fd)
}

pub(super) fn accept_cloexec(listener: BorrowedFd<'_>) -> io::Result<(OwnedFd, SocketAddrV4)> {
    // SAFETY: all-zero is a valid sockaddr_in; the kernel overwrites it.
    let mut addr: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: `addr` and `len` are valid and writable, and `len` holds `addr`'s size.
    let fd = ok_or_errno(unsafe {
        libc::accept(
            listener.as_raw_fd(),
            (&mut addr as *mut libc::sockaddr_in).cast(),
            &mut len,
        )
    })?;
    // SAFETY: `fd` was just returned by accept(2), is open, and nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    set_cloexec(&fd)?;
    Ok((fd, from_sockaddr(&addr)))
}

pub(super) fn accept_nonblocking(listener: BorrowedFd<'_>) -> io::Result<OwnedFd> {
    // SAFETY: null address pointers are allowed (we do not ask for the peer's address).
    let fd = ok_or_errno(unsafe {
        libc::accept(
            listener.as_raw_fd(),
            std::ptr::null_mut(),
            std::ptr::null_mut(),
        )
    })?;
    // SAFETY: `fd` was just returned by accept(2), is open, and nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    set_cloexec(&fd)?;
    super::set_nonblocking(fd.as_fd(), true)?;
    Ok(fd)
}
