//! `writev(2)`: one system call that writes several buffers in order, as if they were one.
//!
//! A response is often a head built on the spot and a body that already lives elsewhere;
//! `writev` sends both without first copying them together, and costs one system call instead
//! of two.

use super::ok_or_errno;
use std::io::{self, IoSlice};
use std::os::fd::{AsRawFd, BorrowedFd};

/// Writes the buffers in `bufs`, in order, and returns how many bytes the kernel took in total:
/// possibly fewer than their sum (a short write) when the socket's send buffer fills up.
///
/// At most `IOV_MAX` (1024 on Linux) buffers are passed; the rest wait for the next call, as
/// after a short write.
pub fn writev(fd: BorrowedFd<'_>, bufs: &[IoSlice<'_>]) -> io::Result<usize> {
    let count = bufs.len().min(1024);
    // SAFETY: `IoSlice` is ABI-compatible with `struct iovec` (std guarantees it on Unix), and
    // each one points to memory valid for reads of its length for the duration of the call.
    let n = ok_or_errno(unsafe {
        libc::writev(
            fd.as_raw_fd(),
            bufs.as_ptr().cast::<libc::iovec>(),
            count as libc::c_int,
        )
    })?;
    Ok(n as usize)
}

#[cfg(test)]
mod tests {
    use super::super::{accept, listen_tcp, local_port};
    use super::*;
    use std::io::Read;
    use std::os::fd::AsFd;

    #[test]
    fn the_buffers_arrive_in_order_as_one_stream() {
        let listener = listen_tcp(0).unwrap();
        let port = local_port(listener.as_fd()).unwrap();
        let mut client = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        let (conn, _) = accept(listener.as_fd()).unwrap();
        let n = writev(
            conn.as_fd(),
            &[
                IoSlice::new(b"head, "),
                IoSlice::new(b""),
                IoSlice::new(b"body"),
            ],
        )
        .unwrap();
        assert_eq!(n, 10);
        let mut got = [0u8; 10];
        client.read_exact(&mut got).unwrap();
        assert_eq!(&got, b"head, body");
    }
}
