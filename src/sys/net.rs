//! TCP sockets on the raw system calls: `socket`, `setsockopt`, `bind`, `listen`, `accept`,
//! `read`, `write`, `fcntl`; and, for chapter 10's server, in their own small files: listeners
//! on any address with `SO_REUSEPORT` ([`listener`]), socket options ([`options`]), `accept4`
//! in a loop ([`accept_loop`]) and `writev` ([`writev`](mod@writev)).
//!
//! Every server in the book binds to `127.0.0.1` (loopback): a reader's experiments are not
//! reachable from the network.
//!
//! # Portability
//!
//! Linux creates sockets close-on-exec atomically (`SOCK_CLOEXEC` to `socket(2)`, `accept4(2)`);
//! macOS and the BSDs without `accept4` set `FD_CLOEXEC` with `fcntl(2)` right after. That one
//! difference lives in the small per-OS files under `net/`.

#[cfg(any(target_os = "linux", target_os = "android"))]
#[path = "net/linux.rs"]
mod os;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
#[path = "net/bsd.rs"]
mod os;

pub mod accept_loop;
pub mod listener;
pub mod options;
pub mod send_recv;
pub mod writev;

pub use accept_loop::{accept_nonblocking, accept_waiting};
pub use listener::listen_on;
pub use options::{set_nodelay, set_reuseaddr, set_reuseport, set_send_buffer};
pub use send_recv::{recv, send};
pub use writev::writev;

use super::ok_or_errno;
use std::io;
use std::net::{Ipv4Addr, SocketAddrV4};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

/// How many finished handshakes the kernel queues for us before `accept` takes them.
pub const LISTEN_BACKLOG: libc::c_int = 1024;

/// Opens a TCP socket listening on `127.0.0.1:port` (`port` 0 lets the kernel choose; read it
/// back with [`local_port`]).
///
/// `SO_REUSEADDR` is set so a restarted server can bind again at once while connections of its
/// previous run sit in `TIME_WAIT`.
pub fn listen_tcp(port: u16) -> io::Result<OwnedFd> {
    let fd = os::tcp_socket()?;
    options::set_reuseaddr(fd.as_fd(), true)?;
    let addr = to_sockaddr(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port));
    // SAFETY: `addr` is an initialised sockaddr_in and we pass its exact size.
    ok_or_errno(unsafe {
        libc::bind(
            fd.as_raw_fd(),
            (&addr as *const libc::sockaddr_in).cast(),
            size_of::<libc::sockaddr_in>() as libc::socklen_t,
        )
    })?;
    // SAFETY: `fd` is a bound stream socket.
    ok_or_errno(unsafe { libc::listen(fd.as_raw_fd(), LISTEN_BACKLOG) })?;
    Ok(fd)
}

/// Takes the next finished connection from a listening socket: the new connection's fd
/// (close-on-exec) and the peer's address.
///
/// Blocks while the queue is empty, unless the listener is non-blocking, in which case it fails
/// with [`io::ErrorKind::WouldBlock`] (`EAGAIN`).
pub fn accept(listener: BorrowedFd<'_>) -> io::Result<(OwnedFd, SocketAddrV4)> {
    os::accept_cloexec(listener)
}

/// The port a socket is bound to (`getsockname(2)`).
pub fn local_port(fd: BorrowedFd<'_>) -> io::Result<u16> {
    // SAFETY: all-zero is a valid sockaddr_in; the kernel overwrites it.
    let mut addr: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    let mut len = size_of::<libc::sockaddr_in>() as libc::socklen_t;
    // SAFETY: `addr` and `len` are valid and writable, and `len` holds `addr`'s size.
    ok_or_errno(unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&mut addr as *mut libc::sockaddr_in).cast(),
            &mut len,
        )
    })?;
    Ok(u16::from_be(addr.sin_port))
}

/// Reads up to `buf.len()` bytes. `Ok(0)` means the peer closed its side (end of file).
pub fn read(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the duration of the call.
    let n = ok_or_errno(unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) })?;
    Ok(n as usize)
}

/// Writes up to `buf.len()` bytes and returns how many the kernel took: possibly fewer (a short
/// write) when the socket's send buffer is nearly full.
pub fn write(fd: BorrowedFd<'_>, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for reads of `buf.len()` bytes for the duration of the call.
    let n = ok_or_errno(unsafe { libc::write(fd.as_raw_fd(), buf.as_ptr().cast(), buf.len()) })?;
    Ok(n as usize)
}

/// Writes all of `buf` on a *blocking* socket, looping over short writes.
///
/// # `EINTR`
///
/// A blocking `write` that a signal interrupts returns early: with a short count if it had sent
/// something, with `EINTR` if not. What that means is the caller's decision, so it is asked:
/// `should_stop()` runs before every `write`, and if it says `true` this returns
/// [`io::ErrorKind::Interrupted`] with the rest unsent; otherwise the loop writes on. That is how
/// Ctrl-C stops a server blocked writing to a client that never reads: the signal interrupts the
/// `write`, the stop flag is set, and the next round gives up. Pass `&|| false` to write
/// everything whatever signals arrive.
///
/// On a non-blocking socket this would spin on `EAGAIN`; chapter 2 shows what to do instead.
pub fn write_all(
    fd: BorrowedFd<'_>,
    mut buf: &[u8],
    should_stop: &dyn Fn() -> bool,
) -> io::Result<()> {
    while !buf.is_empty() {
        // Asked before every write, not only after an interrupted one: a signal that arrived
        // between two writes has already run its handler and will not interrupt the next.
        if should_stop() {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "stopped before everything was written",
            ));
        }
        match write(fd, buf) {
            Ok(n) => buf = &buf[n..],
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// Switches `O_NONBLOCK` on or off: with it on, `read`, `write` and `accept` fail with `EAGAIN`
/// instead of waiting.
pub fn set_nonblocking(fd: BorrowedFd<'_>, nonblocking: bool) -> io::Result<()> {
    // SAFETY: F_GETFL on an open fd reads its status flags and takes no pointer.
    let flags = ok_or_errno(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_GETFL) })?;
    let flags = if nonblocking {
        flags | libc::O_NONBLOCK
    } else {
        flags & !libc::O_NONBLOCK
    };
    // SAFETY: F_SETFL on an open fd with an int argument takes no pointer.
    ok_or_errno(unsafe { libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags) })?;
    Ok(())
}

fn to_sockaddr(addr: SocketAddrV4) -> libc::sockaddr_in {
    // SAFETY: all-zero is a valid sockaddr_in (it also zeroes `sin_zero` and, on the BSDs,
    // `sin_len`, which the kernel ignores for bind).
    let mut sa: libc::sockaddr_in = unsafe { std::mem::zeroed() };
    sa.sin_family = libc::AF_INET as libc::sa_family_t;
    sa.sin_port = addr.port().to_be();
    sa.sin_addr = libc::in_addr {
        s_addr: u32::from(*addr.ip()).to_be(),
    };
    sa
}

fn from_sockaddr(sa: &libc::sockaddr_in) -> SocketAddrV4 {
    SocketAddrV4::new(
        Ipv4Addr::from(u32::from_be(sa.sin_addr.s_addr)),
        u16::from_be(sa.sin_port),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn listen_accept_read_write_round_trip() {
        let listener = listen_tcp(0).unwrap();
        let port = local_port(listener.as_fd()).unwrap();
        assert_ne!(port, 0);
        let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (conn, peer) = accept(listener.as_fd()).unwrap();
        assert_eq!(*peer.ip(), Ipv4Addr::LOCALHOST);
        client.write_all(b"ping").unwrap();
        let mut buf = [0u8; 16];
        let n = read(conn.as_fd(), &mut buf).unwrap();
        assert_eq!(&buf[..n], b"ping");
        write_all(conn.as_fd(), b"pong", &|| false).unwrap();
        let mut got = [0u8; 4];
        client.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"pong");
    }

    #[test]
    fn nonblocking_accept_with_nothing_queued_would_block() {
        let listener = listen_tcp(0).unwrap();
        set_nonblocking(listener.as_fd(), true).unwrap();
        let err = accept(listener.as_fd()).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::WouldBlock);
    }

    #[test]
    fn read_returns_zero_when_the_peer_closes() {
        let listener = listen_tcp(0).unwrap();
        let port = local_port(listener.as_fd()).unwrap();
        let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (conn, _) = accept(listener.as_fd()).unwrap();
        drop(client);
        let mut buf = [0u8; 8];
        assert_eq!(read(conn.as_fd(), &mut buf).unwrap(), 0);
    }

    #[test]
    fn the_send_buffer_can_be_set() {
        let listener = listen_tcp(0).unwrap();
        set_send_buffer(listener.as_fd(), 64 * 1024).unwrap();
        let mut size: libc::c_int = 0;
        let mut len = size_of::<libc::c_int>() as libc::socklen_t;
        // SAFETY: `size` and `len` are valid and writable, and `len` holds `size`'s size.
        let rc = unsafe {
            libc::getsockopt(
                listener.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_SNDBUF,
                (&mut size as *mut libc::c_int).cast(),
                &mut len,
            )
        };
        assert_eq!(rc, 0);
        // Linux reports twice the value set; macOS the value itself.
        assert!((64 * 1024..=128 * 1024).contains(&size), "{size}");
    }

    #[test]
    fn new_fds_are_close_on_exec() {
        let listener = listen_tcp(0).unwrap();
        // SAFETY: F_GETFD on an open fd takes no pointer.
        let flags = unsafe { libc::fcntl(listener.as_raw_fd(), libc::F_GETFD) };
        assert_eq!(flags & libc::FD_CLOEXEC, libc::FD_CLOEXEC);
    }
}
