//! Tests for the chapter 1 exercises, on real sockets (`UnixStream::pair`, a connected pair of
//! stream sockets). `EINTR` and short writes are provoked the way they happen in real life: a
//! signal (`SIGUSR1`, whose handler is installed without `SA_RESTART`) sent to the thread while
//! it is blocked in `read` or `write`. Run them with `cargo test -p exercises-ch01`.

mod time_limit;

// The tests of exercise ch01.M sit in `ch01::<its function>::`: `cargo run -p exercises` picks an
// exercise's tests by that prefix (see `tests` in exercises/runner/src/catalog.rs).
mod ch01 {
    use super::time_limit::time_limit;
    use std::io::{Read, Write};
    use std::os::fd::{AsFd, AsRawFd};
    use std::os::unix::net::UnixStream;
    use std::os::unix::thread::JoinHandleExt;
    use std::sync::Once;
    use std::sync::mpsc::{RecvTimeoutError, channel};
    use std::thread::JoinHandle;
    use std::time::Duration;

    /// How long any step may take before the test gives up instead of hanging.
    const PATIENCE: Duration = Duration::from_secs(10);

    extern "C" fn ignore(_signal: libc::c_int) {}

    /// Installs a do-nothing `SIGUSR1` handler without `SA_RESTART`, so a blocked `read` or `write`
    /// in the signalled thread returns early (`EINTR`, or a short count).
    fn install_sigusr1() {
        static ONCE: Once = Once::new();
        ONCE.call_once(|| {
            // SAFETY: all-zero is a valid sigaction (empty mask, no flags); we set the handler.
            let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
            action.sa_sigaction = ignore as *const () as libc::sighandler_t;
            // SAFETY: `action` is initialised; the handler does nothing at all.
            let rc = unsafe { libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()) };
            assert_eq!(rc, 0, "sigaction");
        });
    }

    /// Sends `SIGUSR1` to a thread that is still running (the caller keeps it alive).
    fn poke<T>(thread: &JoinHandle<T>) {
        // SAFETY: the thread has not been joined, so its pthread_t is valid.
        unsafe { libc::pthread_kill(thread.as_pthread_t() as libc::pthread_t, libc::SIGUSR1) };
    }

    /// Makes the kernel's buffers for this socket small, so a big write blocks early and often.
    fn small_buffers(s: &UnixStream) {
        let size: libc::c_int = 4096;
        for opt in [libc::SO_SNDBUF, libc::SO_RCVBUF] {
            // SAFETY: `size` is a valid c_int and we pass its exact size.
            let rc = unsafe {
                libc::setsockopt(
                    s.as_raw_fd(),
                    libc::SOL_SOCKET,
                    opt,
                    (&size as *const libc::c_int).cast(),
                    size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            assert_eq!(rc, 0, "setsockopt");
        }
    }

    fn pattern(len: usize) -> Vec<u8> {
        (0..len).map(|i| (i % 251) as u8).collect()
    }

    mod write_all {
        use super::*;
        use exercises_ch01::write_all;
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};

        #[test]
        fn writes_everything_in_order_despite_signals_and_short_writes() {
            time_limit(|| {
                install_sigusr1();
                let (ours, mut theirs) = UnixStream::pair().unwrap();
                small_buffers(&ours);
                small_buffers(&theirs);
                theirs.set_read_timeout(Some(PATIENCE)).unwrap();
                let message = pattern(1 << 20);
                let (result_tx, result_rx) = channel();
                let (done_tx, done_rx) = channel::<()>();
                let to_send = message.clone();
                let writer = std::thread::spawn(move || {
                    let result =
                        std::panic::catch_unwind(|| write_all(ours.as_fd(), &to_send, &|| false));
                    drop(ours); // end of file for the reader
                    let _ = result_tx.send(result.is_ok_and(|r| r.is_ok()));
                    // Stay alive until the reader has stopped signalling us.
                    let _ = done_rx.recv();
                });
                // Read slowly, interrupting the writer twice before every chunk: the first signal cuts
                // a write that has sent part of its bytes short; the second likely finds the writer
                // blocked again with nothing sent yet, and makes that write fail with EINTR.
                let mut got = Vec::new();
                let mut chunk = [0u8; 4096];
                loop {
                    poke(&writer);
                    std::thread::sleep(Duration::from_micros(200));
                    poke(&writer);
                    match theirs.read(&mut chunk) {
                        Ok(0) => break,
                        Ok(n) => got.extend_from_slice(&chunk[..n]),
                        Err(e) => panic!("reading: {e}"),
                    }
                }
                done_tx.send(()).unwrap();
                writer.join().unwrap();
                let ok = result_rx.recv().unwrap();
                assert!(ok, "write_all returned an error or panicked");
                assert_eq!(got.len(), message.len(), "some bytes never arrived");
                assert!(got == message, "the bytes arrived out of order");
            });
        }

        #[test]
        fn an_empty_buffer_writes_nothing() {
            time_limit(|| {
                let (ours, mut theirs) = UnixStream::pair().unwrap();
                write_all(ours.as_fd(), b"", &|| false).unwrap();
                drop(ours);
                let mut got = Vec::new();
                theirs.read_to_end(&mut got).unwrap();
                assert!(got.is_empty());
            });
        }

        #[test]
        fn a_closed_peer_is_an_error_not_a_hang() {
            time_limit(|| {
                let (ours, theirs) = UnixStream::pair().unwrap();
                drop(theirs);
                let err = write_all(ours.as_fd(), b"anyone there?", &|| false).unwrap_err();
                assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
            });
        }

        /// The peer never reads, so the write blocks for good once the buffers are full; a
        /// signal with a stop request must end it (Ctrl-C on a server stuck writing).
        #[test]
        fn a_stop_request_ends_a_write_blocked_on_a_peer_that_never_reads() {
            time_limit(|| {
                install_sigusr1();
                let (ours, theirs) = UnixStream::pair().unwrap();
                small_buffers(&ours);
                let stop = Arc::new(AtomicBool::new(false));
                let flag = Arc::clone(&stop);
                let (tx, rx) = channel();
                let writer = std::thread::spawn(move || {
                    let message = pattern(1 << 20);
                    let stop_asked = || flag.load(Ordering::SeqCst);
                    let result = write_all(ours.as_fd(), &message, &stop_asked);
                    let _ = tx.send(result.map_err(|e| e.kind()));
                });
                std::thread::sleep(Duration::from_millis(20));
                stop.store(true, Ordering::SeqCst);
                let deadline = std::time::Instant::now() + PATIENCE;
                let outcome = loop {
                    poke(&writer);
                    match rx.recv_timeout(Duration::from_millis(20)) {
                        Ok(outcome) => break Some(outcome),
                        // The thread is gone without an answer: write_all panicked.
                        Err(RecvTimeoutError::Disconnected) => break None,
                        Err(_) if std::time::Instant::now() > deadline => break None,
                        Err(_) => continue,
                    }
                };
                // Release the thread whatever happened: closing the peer fails its write (EPIPE).
                drop(theirs);
                let _ = writer.join();
                assert_eq!(
                    outcome,
                    Some(Err(std::io::ErrorKind::Interrupted)),
                    "write_all should return an Interrupted error once should_stop() is true"
                );
            });
        }
    }

    mod echo {
        use super::*;
        use exercises_ch01::{Echoed, echo};
        use std::sync::Arc;
        use std::sync::atomic::{AtomicBool, Ordering};

        #[test]
        fn echoes_every_byte_until_end_of_file() {
            time_limit(|| {
                let (ours, mut theirs) = UnixStream::pair().unwrap();
                theirs.set_read_timeout(Some(PATIENCE)).unwrap();
                let server = std::thread::spawn(move || echo(ours.as_fd(), &|| false));
                // More than one read buffer, written by another thread so neither side waits forever.
                let message = pattern(100_000);
                let mut writer = theirs.try_clone().unwrap();
                let to_send = message.clone();
                let sender = std::thread::spawn(move || {
                    writer.write_all(&to_send).unwrap();
                    writer.shutdown(std::net::Shutdown::Write).unwrap();
                });
                let mut got = Vec::new();
                theirs.read_to_end(&mut got).unwrap();
                sender.join().unwrap();
                assert!(got == message, "got {} bytes back, not the same", got.len());
                let outcome = server.join().expect("echo panicked").unwrap();
                assert_eq!(outcome, Echoed::PeerClosed(message.len() as u64));
            });
        }

        #[test]
        fn a_signal_that_is_not_a_stop_does_not_end_the_echo() {
            time_limit(|| {
                install_sigusr1();
                let (ours, mut theirs) = UnixStream::pair().unwrap();
                theirs.set_read_timeout(Some(PATIENCE)).unwrap();
                let server = std::thread::spawn(move || echo(ours.as_fd(), &|| false));
                // Interrupt the server's blocking `read` a few times while it has nothing to read.
                for _ in 0..10 {
                    std::thread::sleep(Duration::from_millis(5));
                    poke(&server);
                }
                theirs.write_all(b"still here").unwrap();
                let mut got = [0u8; 10];
                theirs
                    .read_exact(&mut got)
                    .expect("no echo after the signals");
                assert_eq!(&got, b"still here");
                theirs.shutdown(std::net::Shutdown::Write).unwrap();
                let outcome = server.join().expect("echo panicked").unwrap();
                assert_eq!(outcome, Echoed::PeerClosed(10));
            });
        }

        #[test]
        fn a_signal_with_a_stop_request_ends_the_echo() {
            time_limit(|| {
                install_sigusr1();
                let (ours, theirs) = UnixStream::pair().unwrap();
                let stop = Arc::new(AtomicBool::new(false));
                let flag = Arc::clone(&stop);
                let (tx, rx) = channel();
                let server = std::thread::spawn(move || {
                    let outcome = echo(ours.as_fd(), &|| flag.load(Ordering::SeqCst));
                    let _ = tx.send(outcome.map_err(|e| e.kind()));
                });
                std::thread::sleep(Duration::from_millis(20));
                stop.store(true, Ordering::SeqCst);
                let deadline = std::time::Instant::now() + PATIENCE;
                let outcome = loop {
                    poke(&server);
                    match rx.recv_timeout(Duration::from_millis(20)) {
                        Ok(outcome) => break Some(outcome),
                        // The thread is gone without an answer: echo panicked.
                        Err(RecvTimeoutError::Disconnected) => break None,
                        Err(_) if std::time::Instant::now() > deadline => break None,
                        Err(_) => continue,
                    }
                };
                // Release the thread whatever happened: closing our end gives it end of file.
                drop(theirs);
                let _ = server.join();
                assert_eq!(
                    outcome,
                    Some(Ok(Echoed::Stopped(0))),
                    "echo should return Stopped(0) when a read is interrupted and should_stop() is true"
                );
            });
        }
    }
}
