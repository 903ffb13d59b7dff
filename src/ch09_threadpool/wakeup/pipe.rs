//! The portable fallback: a pipe. A wake writes one byte into it; draining reads everything
//! that is there. Works on every Unix, costs two fds, and a wake may find the pipe full (some
//! 64 KiB of wakes nobody read yet): that is still a readable pipe, so it counts as success.

use super::{ignore_eagain, retry_eintr};
use crate::sys::pipe::nonblocking_pipe;
use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, OwnedFd};

/// A non-blocking, close-on-exec pipe used as a wakeup.
#[derive(Debug)]
pub struct Pipe {
    /// What the loop watches.
    read_end: OwnedFd,
    /// What [`wake`](Self::wake) writes to.
    write_end: OwnedFd,
}

impl Pipe {
    /// A new, empty pipe.
    pub fn new() -> io::Result<Pipe> {
        let (read_end, write_end) = nonblocking_pipe()?;
        Ok(Pipe {
            read_end,
            write_end,
        })
    }

    /// The read end: readable while a wake is unread.
    pub fn fd(&self) -> BorrowedFd<'_> {
        self.read_end.as_fd()
    }

    /// Writes one byte. Safe from any thread; a full pipe (`EAGAIN`) is readable already.
    pub fn wake(&self) -> io::Result<()> {
        ignore_eagain(retry_eintr(|| {
            // SAFETY: the one-byte buffer is a valid static for the duration of the call.
            unsafe { libc::write(self.write_end.as_raw_fd(), b"w".as_ptr().cast(), 1) }
        }))
    }

    /// Reads until the pipe is empty; returns how many bytes (wakes) it found. A read that
    /// fills the whole buffer may have left more behind, so only a short read ends the loop
    /// (libuv's `uv__async_io` reads the same way).
    pub fn drain(&self) -> io::Result<u64> {
        let mut buf = [0u8; 1024];
        let mut total = 0;
        loop {
            let n = retry_eintr(|| {
                // SAFETY: `buf` is valid for writes of its length for the duration of the call.
                unsafe {
                    libc::read(
                        self.read_end.as_raw_fd(),
                        buf.as_mut_ptr().cast(),
                        buf.len(),
                    )
                }
            });
            match n {
                Ok(n) if n == buf.len() => total += n as u64,
                Ok(n) => return Ok(total + n as u64),
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => return Ok(total),
                Err(e) => return Err(e),
            }
        }
    }
}
