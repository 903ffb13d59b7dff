//! Echo one connection on a blocking socket: read, write back the same bytes, until end of file.

use crate::sys::net;
use std::io;
use std::os::fd::BorrowedFd;

/// How the echo of one connection ended, when it ended without an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Echoed {
    /// The client closed its side (`read` returned 0) after this many bytes were echoed.
    PeerClosed(u64),
    /// A signal interrupted a `read` and `should_stop` said to give up, after this many bytes.
    Stopped(u64),
}

/// The size of the buffer one connection reads into. One `read` takes at most this much; a
/// longer message simply arrives over several turns of the loop.
pub const BUF_SIZE: usize = 4096;

// ANCHOR: echo
/// Echoes everything `conn` sends back to it until the peer closes its side.
///
/// `read` blocks until at least one byte has arrived and returns what is there (up to
/// [`BUF_SIZE`]); `Ok(0)` is end of file. [`net::write_all`] sends it back, looping over short
/// writes.
///
/// # `EINTR`
///
/// One rule decides what an interruption ([`io::ErrorKind::Interrupted`]) means, for the `read`
/// here and for the writes inside `write_all`, which is handed the same `should_stop`: a signal
/// arrived while we slept. If `should_stop()` is true (Ctrl-C) we return [`Echoed::Stopped`];
/// otherwise the signal was for something else and we carry on. Without the check in the writes,
/// a client that sends without ever reading fills our send buffer, `write` blocks, and Ctrl-C
/// would only make it block again.
///
/// We ask `should_stop()` before *every* `read` (and `write_all` before every `write`), not only
/// after an interrupted one. A signal that arrives while we are not asleep runs its handler at
/// once, and the call that follows would then sleep with nothing left to interrupt it. Checking
/// first shrinks that window to a few instructions; closing it completely needs the signal
/// turned into something the sleeping call waits on, which is chapter 9's subject.
pub fn echo(conn: BorrowedFd<'_>, should_stop: &dyn Fn() -> bool) -> io::Result<Echoed> {
    let mut buf = [0u8; BUF_SIZE];
    let mut total = 0u64;
    loop {
        // Asked before every read, including the one after a read that a signal interrupted.
        if should_stop() {
            return Ok(Echoed::Stopped(total));
        }
        match net::read(conn, &mut buf) {
            Ok(0) => return Ok(Echoed::PeerClosed(total)),
            Ok(n) => match net::write_all(conn, &buf[..n], should_stop) {
                Ok(()) => total += n as u64,
                // `should_stop()` said so while we were writing.
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {
                    return Ok(Echoed::Stopped(total));
                }
                Err(e) => return Err(e),
            },
            // A signal woke us: go round, and the check above decides.
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}
// ANCHOR_END: echo

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::os::fd::AsFd;

    #[test]
    fn echoes_every_byte_then_reports_end_of_file() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let mut client = TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let (server_side, _) = listener.accept().unwrap();
        let worker = std::thread::spawn(move || echo(server_side.as_fd(), &|| false).unwrap());
        // More than one buffer, so the loop must go round several times.
        let message: Vec<u8> = (0..3 * BUF_SIZE + 17).map(|i| (i % 251) as u8).collect();
        client.write_all(&message).unwrap();
        client.shutdown(Shutdown::Write).unwrap();
        let mut back = Vec::new();
        client.read_to_end(&mut back).unwrap();
        assert_eq!(back, message);
        assert_eq!(
            worker.join().unwrap(),
            Echoed::PeerClosed(message.len() as u64)
        );
    }
}
