//! Tests for the chapter 2 exercises, on real non-blocking sockets (`UnixStream::pair`, a
//! connected pair of stream sockets). Run them with `cargo test -p exercises-ch02`.

mod time_limit;

// The tests of exercise ch02.M sit in `ch02::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch02 {
    use super::time_limit::time_limit;
    use std::io::{ErrorKind, Read, Write};
    use std::os::fd::{AsFd, AsRawFd};
    use std::os::unix::net::UnixStream;
    use std::sync::mpsc::channel;
    use std::time::Duration;

    /// How long a call may take before the test calls it a hang (it should return at once).
    const PATIENCE: Duration = Duration::from_secs(10);

    /// A connected pair, both ends non-blocking.
    fn nonblocking_pair() -> (UnixStream, UnixStream) {
        let (a, b) = UnixStream::pair().unwrap();
        a.set_nonblocking(true).unwrap();
        b.set_nonblocking(true).unwrap();
        (a, b)
    }

    /// Runs `f` on another thread and fails the test if it does not return within [`PATIENCE`]:
    /// a function that waits or spins must fail, not hang the test run.
    fn within_patience<T: Send + 'static>(what: &str, f: impl FnOnce() -> T + Send + 'static) -> T {
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let _ = tx.send(f());
        });
        match rx.recv_timeout(PATIENCE) {
            Ok(v) => v,
            Err(_) => panic!("{what} did not return within {PATIENCE:?} (did it wait or spin?)"),
        }
    }

    mod try_read {
        use super::*;
        use exercises_ch02::{ReadOutcome, try_read};

        #[test]
        fn nothing_to_read_is_nothing_not_an_error() {
            time_limit(|| {
                let (ours, _theirs) = nonblocking_pair();
                let mut buf = [0u8; 16];
                assert_eq!(
                    try_read(ours.as_fd(), &mut buf).unwrap(),
                    ReadOutcome::Nothing
                );
            });
        }

        #[test]
        fn data_is_read_into_the_buffer() {
            time_limit(|| {
                let (ours, mut theirs) = nonblocking_pair();
                theirs.write_all(b"hello").unwrap();
                let mut buf = [0u8; 16];
                assert_eq!(
                    try_read(ours.as_fd(), &mut buf).unwrap(),
                    ReadOutcome::Data(5)
                );
                assert_eq!(&buf[..5], b"hello");
                assert_eq!(
                    try_read(ours.as_fd(), &mut buf).unwrap(),
                    ReadOutcome::Nothing
                );
            });
        }

        #[test]
        fn more_than_the_buffer_holds_comes_in_pieces() {
            time_limit(|| {
                let (ours, mut theirs) = nonblocking_pair();
                theirs.write_all(b"0123456789").unwrap();
                let mut buf = [0u8; 4];
                assert_eq!(
                    try_read(ours.as_fd(), &mut buf).unwrap(),
                    ReadOutcome::Data(4)
                );
                assert_eq!(&buf, b"0123");
                assert_eq!(
                    try_read(ours.as_fd(), &mut buf).unwrap(),
                    ReadOutcome::Data(4)
                );
                assert_eq!(&buf, b"4567");
            });
        }

        #[test]
        fn a_closed_peer_is_end_of_file_after_the_data() {
            time_limit(|| {
                let (ours, mut theirs) = nonblocking_pair();
                theirs.write_all(b"bye").unwrap();
                drop(theirs);
                let mut buf = [0u8; 16];
                assert_eq!(
                    try_read(ours.as_fd(), &mut buf).unwrap(),
                    ReadOutcome::Data(3)
                );
                assert_eq!(try_read(ours.as_fd(), &mut buf).unwrap(), ReadOutcome::Eof);
                assert_eq!(try_read(ours.as_fd(), &mut buf).unwrap(), ReadOutcome::Eof);
            });
        }

        // Linux resets a Unix stream socket whose peer closes with unread data; other kernels may
        // report plain end of file instead.
        #[cfg(target_os = "linux")]
        #[test]
        fn a_reset_connection_is_an_error() {
            time_limit(|| {
                let (ours, theirs) = nonblocking_pair();
                // We send something the peer never reads; when it closes, the connection is reset.
                (&ours).write_all(b"unread").unwrap();
                drop(theirs);
                let mut buf = [0u8; 16];
                let err = try_read(ours.as_fd(), &mut buf).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::ConnectionReset);
            });
        }
    }

    mod flush_pending {
        use super::*;
        use exercises_ch02::{Flushed, flush_pending};

        /// Makes `s`'s send buffer as small as the kernel allows.
        fn small_send_buffer(s: &UnixStream) {
            let size: libc::c_int = 1;
            // SAFETY: `size` is a valid c_int and we pass its exact size.
            let rc = unsafe {
                libc::setsockopt(
                    s.as_raw_fd(),
                    libc::SOL_SOCKET,
                    libc::SO_SNDBUF,
                    (&size as *const libc::c_int).cast(),
                    size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            assert_eq!(rc, 0, "setsockopt(SO_SNDBUF)");
        }

        /// Everything readable on `s` right now.
        fn drain(s: &mut UnixStream) -> Vec<u8> {
            let mut got = Vec::new();
            let mut buf = [0u8; 65536];
            loop {
                match s.read(&mut buf) {
                    Ok(0) => return got,
                    Ok(n) => got.extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => return got,
                    Err(e) => panic!("reading: {e}"),
                }
            }
        }

        #[test]
        fn with_room_everything_is_written() {
            time_limit(|| {
                let (ours, mut theirs) = nonblocking_pair();
                let mut pending = b"hello".to_vec();
                assert_eq!(
                    flush_pending(ours.as_fd(), &mut pending).unwrap(),
                    Flushed::All
                );
                assert!(pending.is_empty());
                assert_eq!(drain(&mut theirs), b"hello");
            });
        }

        #[test]
        fn a_full_send_buffer_keeps_the_unwritten_tail() {
            time_limit(|| {
                let (ours, mut theirs) = nonblocking_pair();
                small_send_buffer(&ours);
                let message: Vec<u8> = (0..1_000_000).map(|i| (i % 251) as u8).collect();
                let mut pending = message.clone();
                let ours = std::sync::Arc::new(ours);
                let mut received = Vec::new();
                let mut turns = 0;
                loop {
                    turns += 1;
                    assert!(turns < 100_000, "no progress after {turns} flushes");
                    let fd = std::sync::Arc::clone(&ours);
                    let (outcome, rest) = within_patience("flush_pending", move || {
                        let outcome = flush_pending(fd.as_fd(), &mut pending).map_err(|e| e.kind());
                        (outcome, pending)
                    });
                    pending = rest;
                    received.extend(drain(&mut theirs));
                    // What is still pending is exactly what has not arrived.
                    assert_eq!(received.len() + pending.len(), message.len());
                    assert!(received == message[..received.len()], "bytes out of order");
                    assert!(
                        pending == message[received.len()..],
                        "the pending tail is wrong"
                    );
                    match outcome.unwrap() {
                        Flushed::All => break,
                        Flushed::Partly => {
                            assert!(!pending.is_empty(), "Partly with nothing pending")
                        }
                    }
                }
                assert!(turns > 1, "a 1 MB flush fit in a tiny send buffer at once?");
                assert!(received == message);
            });
        }

        #[test]
        fn a_closed_peer_is_an_error() {
            time_limit(|| {
                let (ours, theirs) = nonblocking_pair();
                drop(theirs);
                let mut pending = b"anyone there?".to_vec();
                let err = flush_pending(ours.as_fd(), &mut pending).unwrap_err();
                assert_eq!(err.kind(), ErrorKind::BrokenPipe);
            });
        }
    }
}
