//! `recv(2)` and `send(2)`: `read` and `write` for sockets only.
//!
//! They do the same work, but they enter the socket layer directly, while `read` and `write` go
//! through the generic file layer first (`vfs_read`, `vfs_write`: permission and notification
//! hooks that a file needs and a socket does not). And `send` takes flags: `MSG_NOSIGNAL` makes a send to a
//! closed connection fail with `EPIPE` instead of raising `SIGPIPE`, whatever the process's
//! signal dispositions.
//!
//! # Portability
//!
//! macOS has no `MSG_NOSIGNAL` (it has the `SO_NOSIGPIPE` socket option instead); there `send`
//! passes no flag and relies on `SIGPIPE` being ignored, which Rust programs do from the start.

use super::{ok_or_errno, os};
use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};

/// Receives up to `buf.len()` bytes from a socket. `Ok(0)` means the peer closed its side.
pub fn recv(fd: BorrowedFd<'_>, buf: &mut [u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for writes of `buf.len()` bytes for the duration of the call.
    let n =
        ok_or_errno(unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) })?;
    Ok(n as usize)
}

// ANCHOR: send
/// Sends up to `buf.len()` bytes on a socket and returns how many the kernel took (a short
/// send when its buffer is nearly full). A peer that has gone is `EPIPE`, never `SIGPIPE`.
pub fn send(fd: BorrowedFd<'_>, buf: &[u8]) -> io::Result<usize> {
    // SAFETY: `buf` is valid for reads of `buf.len()` bytes for the duration of the call.
    let n = ok_or_errno(unsafe {
        libc::send(
            fd.as_raw_fd(),
            buf.as_ptr().cast(),
            buf.len(),
            os::SEND_FLAGS,
        )
    })?;
    Ok(n as usize)
}
// ANCHOR_END: send

#[cfg(test)]
mod tests {
    use super::super::{accept, listen_tcp, local_port};
    use super::*;
    use std::os::fd::AsFd;

    #[test]
    fn a_round_trip_and_a_send_to_a_closed_peer_is_epipe() {
        let listener = listen_tcp(0).unwrap();
        let port = local_port(listener.as_fd()).unwrap();
        let client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (conn, _) = accept(listener.as_fd()).unwrap();
        assert_eq!(send(client.as_fd(), b"hi").unwrap(), 2);
        let mut buf = [0u8; 8];
        assert_eq!(recv(conn.as_fd(), &mut buf).unwrap(), 2);
        drop(client);
        // The first send after the peer closed draws a reset; a later one fails with EPIPE.
        let mut last = Ok(0);
        for _ in 0..10 {
            last = send(conn.as_fd(), b"are you there?");
            if last.is_err() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let err = last.unwrap_err();
        assert!(
            matches!(err.raw_os_error(), Some(libc::EPIPE | libc::ECONNRESET)),
            "{err}"
        );
    }
}
