//! Tests for the chapter 9 exercises. Run them with `cargo test -p exercises-ch09`.

mod time_limit;

// Every test sits under `ch09::`, so `cargo test -p exercises-ch09` selects them.
mod ch09 {
    use super::time_limit::time_limit;
    mod send {
        use super::time_limit;
        use exercises_ch09::Notifier;
        use std::sync::Arc;

        #[test]
        fn one_send_makes_one_wakeup_and_one_owed_callback() {
            time_limit(|| {
                let n = Notifier::new().unwrap();
                n.send().unwrap();
                assert_eq!(n.wakeup.drain().unwrap(), 1, "one send, one wakeup");
                assert!(n.receive(), "a callback is owed");
                assert!(!n.receive(), "and only one");
            });
        }

        #[test]
        fn a_thousand_sends_before_the_loop_looks_are_one_system_call() {
            time_limit(|| {
                let n = Notifier::new().unwrap();
                for _ in 0..1000 {
                    n.send().unwrap();
                }
                assert_eq!(n.wakeup.drain().unwrap(), 1, "the sends did not coalesce");
                assert!(n.receive());
            });
        }

        #[test]
        fn a_send_after_the_loop_received_wakes_it_again() {
            time_limit(|| {
                let n = Notifier::new().unwrap();
                n.send().unwrap();
                assert!(n.receive());
                n.send().unwrap();
                n.send().unwrap();
                assert_eq!(
                    n.wakeup.drain().unwrap(),
                    1,
                    "the second round was not woken"
                );
                assert!(n.receive());
            });
        }

        /// Four threads send at once; however they interleave, only one of the sends that
        /// find the flag clear may write.
        #[test]
        fn racing_senders_wake_once() {
            time_limit(|| {
                for _ in 0..50 {
                    let n = Arc::new(Notifier::new().unwrap());
                    let barrier = Arc::new(std::sync::Barrier::new(4));
                    let threads: Vec<_> = (0..4)
                        .map(|_| {
                            let (n, barrier) = (n.clone(), barrier.clone());
                            std::thread::spawn(move || {
                                barrier.wait();
                                for _ in 0..100 {
                                    n.send().unwrap();
                                }
                            })
                        })
                        .collect();
                    for t in threads {
                        t.join().unwrap();
                    }
                    assert_eq!(
                        n.wakeup.drain().unwrap(),
                        1,
                        "two senders both woke the loop"
                    );
                }
            });
        }
    }

    mod worker {
        use super::time_limit;
        use exercises_ch09::MiniPool;
        use std::collections::HashSet;
        use std::sync::atomic::{AtomicU64, Ordering};
        use std::sync::{Arc, Barrier};
        use std::time::{Duration, Instant};

        /// Collects finished ids until `n` have come, or panics after 10 s, or as soon as a
        /// worker thread has ended (a worker that panicked finishes no job).
        fn wait_for(pool: &MiniPool, n: usize) -> Vec<u64> {
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut all = Vec::new();
            while all.len() < n {
                all.extend(pool.take_done());
                assert_eq!(
                    pool.workers_gone(),
                    0,
                    "a worker thread ended while the pool was alive (did it panic?)"
                );
                assert!(
                    Instant::now() < deadline,
                    "only {} of {n} jobs finished",
                    all.len()
                );
                std::thread::sleep(Duration::from_millis(1));
            }
            all
        }

        #[test]
        fn every_job_runs_once_and_is_reported_done() {
            time_limit(|| {
                let pool = MiniPool::new(3).unwrap();
                let runs = Arc::new(AtomicU64::new(0));
                for id in 0..1000 {
                    let runs = runs.clone();
                    pool.submit(id, move || {
                        runs.fetch_add(1, Ordering::SeqCst);
                    });
                }
                let done: HashSet<u64> = wait_for(&pool, 1000).into_iter().collect();
                assert_eq!(done, (0..1000).collect());
                assert_eq!(runs.load(Ordering::SeqCst), 1000);
            });
        }

        /// Three jobs that can only finish together: they must run on three threads at once,
        /// so a worker must not hold the lock while its job runs.
        #[test]
        fn jobs_run_in_parallel_with_no_lock_held() {
            time_limit(|| {
                let pool = MiniPool::new(3).unwrap();
                let together = Arc::new(Barrier::new(3));
                for id in 0..3 {
                    let together = together.clone();
                    pool.submit(id, move || {
                        together.wait();
                    });
                }
                assert_eq!(wait_for(&pool, 3).len(), 3);
            });
        }

        #[test]
        fn a_completion_wakes_the_loop() {
            time_limit(|| {
                let pool = MiniPool::new(1).unwrap();
                pool.submit(7, || {});
                assert_eq!(wait_for(&pool, 1), [7]);
                assert!(
                    pool.shared.wakeup.drain().unwrap() >= 1,
                    "no wakeup was sent"
                );
            });
        }

        /// Idle workers wait on the condvar and leave when the pool is dropped.
        #[test]
        fn dropping_the_pool_stops_idle_workers() {
            time_limit(|| {
                let (tx, rx) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    let pool = MiniPool::new(4).unwrap();
                    pool.submit(1, || {});
                    wait_for(&pool, 1);
                    std::thread::sleep(Duration::from_millis(20)); // let them all go idle
                    drop(pool);
                    tx.send(()).unwrap();
                });
                rx.recv_timeout(Duration::from_secs(10))
                    .expect("dropping the pool did not stop its workers");
            });
        }
    }

    mod on_signal {
        use super::time_limit;
        use exercises_ch09::{SIGNAL_PIPE, errno, install, on_signal, set_errno};
        use std::os::fd::{AsRawFd, OwnedFd};
        use std::sync::Mutex;

        /// The handler's pipe is one static: the tests take turns.
        static TURN: Mutex<()> = Mutex::new(());

        fn read_all(fd: &OwnedFd) -> Vec<u8> {
            let mut buf = [0u8; 4096];
            // SAFETY: `buf` is valid for writes of its length; the fd is non-blocking.
            let n = unsafe { libc::read(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len()) };
            buf[..n.max(0) as usize].to_vec()
        }

        /// A pipe for the handler to write to, without installing it for any signal.
        fn pipe_only() -> OwnedFd {
            let (read_end, write_end) = eventloops::sys::pipe::nonblocking_pipe().unwrap();
            SIGNAL_PIPE.store(write_end.as_raw_fd(), std::sync::atomic::Ordering::SeqCst);
            std::mem::forget(write_end);
            read_end
        }

        #[test]
        fn the_handler_writes_the_signal_number_into_the_pipe() {
            time_limit(|| {
                let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
                let read_end = pipe_only();
                on_signal(libc::SIGUSR2);
                on_signal(libc::SIGHUP);
                assert_eq!(
                    read_all(&read_end),
                    [libc::SIGUSR2 as u8, libc::SIGHUP as u8]
                );
            });
        }

        /// The interrupted code may be about to read errno: the handler must put it back, even
        /// when its own write fails (a full pipe: EAGAIN).
        #[test]
        fn the_handler_leaves_errno_as_it_found_it() {
            time_limit(|| {
                let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
                let read_end = pipe_only();
                while SIGNAL_PIPE.load(std::sync::atomic::Ordering::SeqCst) >= 0 {
                    let fd = SIGNAL_PIPE.load(std::sync::atomic::Ordering::SeqCst);
                    // SAFETY: writing a valid 1-byte buffer to our own pipe's write end.
                    if unsafe { libc::write(fd, b"x".as_ptr().cast(), 1) } == -1 {
                        break; // full
                    }
                }
                set_errno(libc::ENOENT);
                on_signal(libc::SIGUSR2); // its write fails with EAGAIN
                assert_eq!(errno(), libc::ENOENT, "the handler changed errno");
                drop(read_end);
            });
        }

        /// A real signal, delivered by the kernel.
        #[test]
        fn a_raised_signal_arrives_as_a_byte() {
            time_limit(|| {
                let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
                // First in an ordinary call: an unfinished handler fails here instead of aborting
                // the test process from inside a signal handler.
                let probe = pipe_only();
                on_signal(libc::SIGUSR2);
                assert_eq!(read_all(&probe), [libc::SIGUSR2 as u8]);
                let read_end = install(libc::SIGUSR2).unwrap();
                for _ in 0..3 {
                    // SAFETY: a handler is installed for SIGUSR2.
                    unsafe { libc::raise(libc::SIGUSR2) };
                }
                assert_eq!(read_all(&read_end), [libc::SIGUSR2 as u8; 3]);
            });
        }
    }
}
