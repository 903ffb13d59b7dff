//! A listening socket with the options a multi-threaded server needs: any IPv4 address, a
//! chosen backlog, non-blocking, and `SO_REUSEPORT` when several listeners share one port.

use super::{ok_or_errno, options, os, set_nonblocking, to_sockaddr};
use std::io;
use std::net::SocketAddrV4;
use std::os::fd::{AsFd, AsRawFd, OwnedFd};

// ANCHOR: listen_on
/// Opens a non-blocking TCP listener on `addr` (port 0: the kernel chooses) whose queue of
/// finished handshakes holds `backlog` connections (the kernel caps it at
/// `/proc/sys/net/core/somaxconn`).
///
/// `SO_REUSEADDR` is always set (a restarted server can bind while old connections sit in
/// `TIME_WAIT`). With `reuseport`, `SO_REUSEPORT` is set before `bind`, so that more listeners
/// can bind the same address and port, each with `reuseport` too: to give N threads one each,
/// open the first on port 0, read the port back, and open the others on that port.
pub fn listen_on(addr: SocketAddrV4, reuseport: bool, backlog: libc::c_int) -> io::Result<OwnedFd> {
    let fd = os::tcp_socket()?;
    options::set_reuseaddr(fd.as_fd(), true)?;
    if reuseport {
        options::set_reuseport(fd.as_fd(), true)?;
    }
    let sa = to_sockaddr(addr);
    // SAFETY: `sa` is an initialised sockaddr_in and we pass its exact size.
    ok_or_errno(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&sa as *const libc::sockaddr_in).cast(),
            size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    })?;
    // SAFETY: `fd` is a bound stream socket.
    ok_or_errno(unsafe { libc::listen(fd.as_raw_fd(), backlog) })?;
    set_nonblocking(fd.as_fd(), true)?;
    Ok(fd)
}
// ANCHOR_END: listen_on

#[cfg(test)]
mod tests {
    use super::super::local_port;
    use super::*;
    use std::net::Ipv4Addr;

    #[test]
    fn two_listeners_share_a_port_only_with_reuseport() {
        let any = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
        let first = listen_on(any, true, 16).unwrap();
        let port = local_port(first.as_fd()).unwrap();
        let same = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
        let second = listen_on(same, true, 16).unwrap();
        assert_eq!(local_port(second.as_fd()).unwrap(), port);
        let err = listen_on(same, false, 16).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::AddrInUse);
    }
}
