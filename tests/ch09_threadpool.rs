//! Chapter 9 end to end: the signal handle under a storm of signals, the thread pool's
//! guarantees (libuv's `test/test-threadpool*.c` in spirit), and the chapter program.

use eventloops::ch07_phases::{Loop, RunMode};
use std::os::unix::thread::JoinHandleExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// A small xorshift generator: random moments without a dependency.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Spins for `micros` µs: a sleep would always land the next signal in the same place (the
/// loop asleep in `epoll_wait`); spinning for 0..N µs lands it anywhere in the loop's turn,
/// including between its last check and the wait.
fn spin_for(micros: u64) {
    let end = Instant::now() + Duration::from_micros(micros);
    while Instant::now() < end {
        std::hint::spin_loop();
    }
}

/// 2,000 signals at random moments, each waited for before the next: a loop with nothing else
/// to do (it blocks in `epoll_wait` with no timeout) must wake for every one. With chapters
/// 1–8's flag, one signal landing in the window between the check and the wait would leave it
/// asleep, and this test would fail on its deadline.
#[test]
fn a_signal_at_any_moment_wakes_the_loop() {
    const SIGNALS: u64 = 2_000;
    let caught = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let (c, d) = (caught.clone(), done.clone());
    let loop_thread = std::thread::spawn(move || {
        let mut lp: Loop = Loop::new().unwrap();
        lp.signal_start(libc::SIGUSR1, move |lp, me, _| {
            c.fetch_add(1, Ordering::SeqCst);
            if d.load(Ordering::SeqCst) {
                lp.close(me, |_, _| {});
            }
        })
        .unwrap();
        lp.run(RunMode::Default).unwrap();
    });
    let pthread = loop_thread.as_pthread_t();
    // Let the loop install its handler before the first signal (the default action of SIGUSR1
    // would end the test process).
    let deadline = Instant::now() + Duration::from_secs(10);
    while !handler_installed(libc::SIGUSR1) {
        assert!(Instant::now() < deadline, "the loop never started");
        std::thread::sleep(Duration::from_millis(1));
    }
    let mut random = Random(0x9e37_79b9_7f4a_7c15);
    for i in 0..SIGNALS {
        spin_for(random.below(300));
        if i == SIGNALS - 1 {
            done.store(true, Ordering::SeqCst);
        }
        if i % 2 == 0 {
            // SAFETY: the loop thread is alive (it exits only after the last signal).
            unsafe { libc::pthread_kill(pthread, libc::SIGUSR1) };
        } else {
            // SAFETY: plain arguments: our own pid, a signal whose handler is installed.
            unsafe { libc::kill(libc::getpid(), libc::SIGUSR1) };
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while caught.load(Ordering::SeqCst) <= i {
            assert!(
                Instant::now() < deadline,
                "signal {i} did not wake the loop within 10 s"
            );
            std::hint::spin_loop();
        }
    }
    loop_thread.join().unwrap();
    assert_eq!(caught.load(Ordering::SeqCst), SIGNALS);
}

/// Whether `signum`'s handler is something other than the default.
fn handler_installed(signum: libc::c_int) -> bool {
    // SAFETY: all-zero is a valid sigaction for the kernel to overwrite; a null new action only
    // reads the current one.
    let mut now: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: see above.
    unsafe { libc::sigaction(signum, std::ptr::null(), &mut now) };
    now.sa_sigaction != libc::SIG_DFL
}
