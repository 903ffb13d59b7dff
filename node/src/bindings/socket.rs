//! The socket system calls `net` needs, for IPv4 and IPv6: what libuv's `uv_tcp_*` make
//! underneath. Every socket is non-blocking and close-on-exec from the start.

use eventloops::sys::net::options::set_int_option;
use eventloops::sys::ok_or_errno;
use std::io;
use std::mem::size_of;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};

/// A `sockaddr_in` or `sockaddr_in6`, with its length.
struct RawAddr {
    storage: libc::sockaddr_storage,
    len: libc::socklen_t,
}

impl RawAddr {
    fn empty() -> RawAddr {
        RawAddr {
            // SAFETY: all-zero is a valid sockaddr_storage.
            storage: unsafe { std::mem::zeroed() },
            len: size_of::<libc::sockaddr_storage>() as libc::socklen_t,
        }
    }

    fn from(addr: SocketAddr) -> RawAddr {
        let mut raw = RawAddr::empty();
        match addr {
            SocketAddr::V4(a) => {
                // SAFETY: sockaddr_storage is large enough and aligned for a sockaddr_in.
                let sin = unsafe { &mut *(&mut raw.storage as *mut _ as *mut libc::sockaddr_in) };
                sin.sin_family = libc::AF_INET as libc::sa_family_t;
                sin.sin_port = a.port().to_be();
                sin.sin_addr.s_addr = u32::from(*a.ip()).to_be();
                raw.len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
            }
            SocketAddr::V6(a) => {
                // SAFETY: sockaddr_storage is large enough and aligned for a sockaddr_in6.
                let sin6 = unsafe { &mut *(&mut raw.storage as *mut _ as *mut libc::sockaddr_in6) };
                sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
                sin6.sin6_port = a.port().to_be();
                sin6.sin6_addr.s6_addr = a.ip().octets();
                sin6.sin6_scope_id = a.scope_id();
                raw.len = size_of::<libc::sockaddr_in6>() as libc::socklen_t;
            }
        }
        raw
    }

    fn to_socket_addr(&self) -> Option<SocketAddr> {
        match i32::from(self.storage.ss_family) {
            libc::AF_INET => {
                // SAFETY: the family says the kernel wrote a sockaddr_in.
                let sin = unsafe { &*(&self.storage as *const _ as *const libc::sockaddr_in) };
                Some(SocketAddr::V4(SocketAddrV4::new(
                    Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)),
                    u16::from_be(sin.sin_port),
                )))
            }
            libc::AF_INET6 => {
                // SAFETY: the family says the kernel wrote a sockaddr_in6.
                let sin6 = unsafe { &*(&self.storage as *const _ as *const libc::sockaddr_in6) };
                Some(SocketAddr::V6(SocketAddrV6::new(
                    Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                    u16::from_be(sin6.sin6_port),
                    sin6.sin6_flowinfo,
                    sin6.sin6_scope_id,
                )))
            }
            _ => None,
        }
    }
}

/// Takes ownership of a new descriptor and makes it close-on-exec and non-blocking.
fn own(fd: RawFd) -> io::Result<OwnedFd> {
    // SAFETY: `fd` was just returned by the kernel, is open, and nothing else owns it.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    // SAFETY: F_SETFD with an int flag on an open fd takes no pointer.
    ok_or_errno(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFD, libc::FD_CLOEXEC) })?;
    eventloops::sys::net::set_nonblocking(fd.as_fd(), true)?;
    Ok(fd)
}

use std::os::fd::AsFd;

/// A new TCP socket for `addr`'s family.
fn tcp_socket(addr: &SocketAddr) -> io::Result<OwnedFd> {
    let family = if addr.is_ipv4() {
        libc::AF_INET
    } else {
        libc::AF_INET6
    };
    // SAFETY: plain integer arguments; no pointers.
    own(ok_or_errno(unsafe {
        libc::socket(family, libc::SOCK_STREAM, 0)
    })?)
}

/// A listening socket on `addr`, as `uv_tcp_bind` + `uv_listen` make it: `SO_REUSEADDR`, and
/// an IPv6 "any" address accepting IPv4 too (Node's default `::`).
pub(crate) fn listen(addr: SocketAddr, backlog: i32) -> io::Result<OwnedFd> {
    let fd = tcp_socket(&addr)?;
    set_int_option(fd.as_fd(), libc::SOL_SOCKET, libc::SO_REUSEADDR, 1)?;
    if addr.is_ipv6() {
        set_int_option(fd.as_fd(), libc::IPPROTO_IPV6, libc::IPV6_V6ONLY, 0)?;
    }
    let raw = RawAddr::from(addr);
    // SAFETY: `raw` holds an initialised sockaddr of `raw.len` bytes.
    ok_or_errno(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&raw.storage as *const libc::sockaddr_storage).cast(),
            raw.len,
        )
    })?;
    // SAFETY: `fd` is a bound stream socket.
    ok_or_errno(unsafe { libc::listen(fd.as_raw_fd(), backlog) })?;
    Ok(fd)
}

/// The next pending connection, non-blocking; `WouldBlock` when there is none.
pub(crate) fn accept(listener: BorrowedFd<'_>) -> io::Result<(OwnedFd, Option<SocketAddr>)> {
    let mut raw = RawAddr::empty();
    // SAFETY: `raw.storage` and `raw.len` are valid and writable; `len` holds the size.
    let fd = ok_or_errno(unsafe {
        libc::accept(
            listener.as_raw_fd(),
            (&mut raw.storage as *mut libc::sockaddr_storage).cast(),
            &mut raw.len,
        )
    })?;
    Ok((own(fd)?, raw.to_socket_addr()))
}

/// Starts connecting to `addr`: `Ok((fd, true))` if connected at once, `Ok((fd, false))` while
/// in progress (`EINPROGRESS`: wait for writable, then ask [`take_error`]).
pub(crate) fn connect(addr: SocketAddr) -> io::Result<(OwnedFd, bool)> {
    let fd = tcp_socket(&addr)?;
    let raw = RawAddr::from(addr);
    // SAFETY: `raw` holds an initialised sockaddr of `raw.len` bytes.
    let result = ok_or_errno(unsafe {
        libc::connect(
            fd.as_raw_fd(),
            (&raw.storage as *const libc::sockaddr_storage).cast(),
            raw.len,
        )
    });
    match result {
        Ok(_) => Ok((fd, true)),
        Err(e) if e.raw_os_error() == Some(libc::EINPROGRESS) => Ok((fd, false)),
        Err(e) => Err(e),
    }
}

/// The error of a finished non-blocking connect (`SO_ERROR`), if it failed.
pub(crate) fn take_error(fd: BorrowedFd<'_>) -> io::Result<Option<io::Error>> {
    let mut value: libc::c_int = 0;
    let mut len = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: `value` and `len` are valid and writable, and `len` holds `value`'s size.
    ok_or_errno(unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_ERROR,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    })?;
    Ok((value != 0).then(|| io::Error::from_raw_os_error(value)))
}

/// The local address (`getsockname`).
pub(crate) fn local_addr(fd: BorrowedFd<'_>) -> io::Result<Option<SocketAddr>> {
    let mut raw = RawAddr::empty();
    // SAFETY: `raw.storage` and `raw.len` are valid and writable; `len` holds the size.
    ok_or_errno(unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&mut raw.storage as *mut libc::sockaddr_storage).cast(),
            &mut raw.len,
        )
    })?;
    Ok(raw.to_socket_addr())
}

/// The peer's address (`getpeername`).
pub(crate) fn peer_addr(fd: BorrowedFd<'_>) -> io::Result<Option<SocketAddr>> {
    let mut raw = RawAddr::empty();
    // SAFETY: `raw.storage` and `raw.len` are valid and writable; `len` holds the size.
    ok_or_errno(unsafe {
        libc::getpeername(
            fd.as_raw_fd(),
            (&mut raw.storage as *mut libc::sockaddr_storage).cast(),
            &mut raw.len,
        )
    })?;
    Ok(raw.to_socket_addr())
}

/// Ends our side of the connection (`shutdown(SHUT_WR)`): the peer reads end of file.
pub(crate) fn shutdown_write(fd: BorrowedFd<'_>) -> io::Result<()> {
    // SAFETY: integer arguments on an open socket; no pointers.
    ok_or_errno(unsafe { libc::shutdown(fd.as_raw_fd(), libc::SHUT_WR) })?;
    Ok(())
}

/// `TCP_NODELAY` on or off.
pub(crate) fn set_nodelay(fd: BorrowedFd<'_>, on: bool) -> io::Result<()> {
    set_int_option(
        fd,
        libc::IPPROTO_TCP,
        libc::TCP_NODELAY,
        libc::c_int::from(on),
    )
}
