//! Socket options a server sets once per socket: `SO_REUSEPORT` on a listener before `bind`,
//! `TCP_NODELAY` on each connection, and the kernel buffer sizes `SO_SNDBUF`/`SO_RCVBUF`.
//!
//! # Portability
//!
//! Every option here exists on Linux, macOS and the BSDs, but `SO_REUSEPORT` means more on Linux
//! (since 3.9): there, each of several listeners bound to the same port gets its share of the
//! new connections, spread by a hash of the client's address and port. On macOS and the older
//! BSDs it only permits the second `bind`; FreeBSD spreads connections with `SO_REUSEPORT_LB`.

use super::ok_or_errno;
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

/// Sets an integer socket option (`setsockopt(2)` with an `int` value).
pub fn set_int_option(
    fd: BorrowedFd<'_>,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
) -> io::Result<()> {
    // SAFETY: `fd` is an open socket; `value` is a valid c_int and we pass its exact size.
    ok_or_errno(unsafe {
        libc::setsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&value as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    })?;
    Ok(())
}

/// Reads an integer socket option (`getsockopt(2)`).
fn get_int_option(fd: BorrowedFd<'_>, level: libc::c_int, name: libc::c_int) -> io::Result<i32> {
    let mut value: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid and writable, and `len` holds `value`'s size.
    ok_or_errno(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    })?;
    Ok(value)
}

/// `SO_REUSEADDR`: lets a restarted server bind its port at once, while connections of its
/// previous run still sit in `TIME_WAIT`.
pub fn set_reuseaddr(fd: BorrowedFd<'_>, on: bool) -> io::Result<()> {
    set_int_option(fd, libc::SOL_SOCKET, libc::SO_REUSEADDR, on.into())
}

// ANCHOR: reuseport
/// `SO_REUSEPORT`: lets several sockets bind the same address and port, each set with it before
/// its `bind`. On Linux the kernel then spreads incoming connections over the listeners, so each
/// thread of a server can own one listener and one loop, and no two threads ever compete for
/// the same connection.
pub fn set_reuseport(fd: BorrowedFd<'_>, on: bool) -> io::Result<()> {
    set_int_option(fd, libc::SOL_SOCKET, libc::SO_REUSEPORT, on.into())
}
// ANCHOR_END: reuseport

// ANCHOR: nodelay
/// `TCP_NODELAY`: send small segments at once instead of holding them back (Nagle's algorithm)
/// while an earlier segment is unacknowledged. A server that answers in one write per batch
/// loses nothing by it; one that writes a response in pieces would otherwise wait for the
/// client's delayed ACK (up to 40 ms on Linux) between the pieces.
pub fn set_nodelay(fd: BorrowedFd<'_>, on: bool) -> io::Result<()> {
    set_int_option(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY, on.into())
}
// ANCHOR_END: nodelay

/// Whether `TCP_NODELAY` is set.
pub fn nodelay(fd: BorrowedFd<'_>) -> io::Result<bool> {
    Ok(get_int_option(fd, libc::IPPROTO_TCP, libc::TCP_NODELAY)? != 0)
}

/// `SO_SNDBUF`: asks for a send buffer of `bytes`. Linux doubles the value (half of it for its
/// own bookkeeping) and turns off the buffer's automatic growth for this socket.
pub fn set_send_buffer(fd: BorrowedFd<'_>, bytes: usize) -> io::Result<()> {
    let bytes = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    set_int_option(fd, libc::SOL_SOCKET, libc::SO_SNDBUF, bytes)
}

/// `SO_RCVBUF`: asks for a receive buffer of `bytes` (doubled by Linux, as for `SO_SNDBUF`).
pub fn set_recv_buffer(fd: BorrowedFd<'_>, bytes: usize) -> io::Result<()> {
    let bytes = libc::c_int::try_from(bytes).unwrap_or(libc::c_int::MAX);
    set_int_option(fd, libc::SOL_SOCKET, libc::SO_RCVBUF, bytes)
}

#[cfg(test)]
mod tests {
    use super::super::{listen_tcp, local_port};
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn nodelay_can_be_set_and_read_back() {
        let listener = listen_tcp(0).unwrap();
        let port = local_port(listener.as_fd()).unwrap();
        let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        assert!(!nodelay(client.as_fd()).unwrap());
        set_nodelay(client.as_fd(), true).unwrap();
        assert!(nodelay(client.as_fd()).unwrap());
    }

    #[test]
    fn buffer_sizes_are_accepted() {
        let listener = listen_tcp(0).unwrap();
        set_send_buffer(listener.as_fd(), 4096).unwrap();
        set_recv_buffer(listener.as_fd(), 4096).unwrap();
    }
}
