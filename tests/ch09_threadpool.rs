//! Chapter 9 end to end: the signal handle under a storm of signals, the thread pool's
//! guarantees (libuv's `test/test-threadpool*.c` in spirit), and the chapter program.

use eventloops::ch07_phases::{Loop, RunMode};
use eventloops::ch09_threadpool::PoolSize;
use std::cell::{Cell, RefCell};
use std::io;
use std::os::unix::thread::JoinHandleExt;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, mpsc};
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

// ---- the pool ---------------------------------------------------------------------------------

fn pool_loop(threads: usize) -> Loop {
    let mut lp: Loop = Loop::new().unwrap();
    lp.start_threadpool(PoolSize::new(threads).unwrap())
        .unwrap();
    lp
}

#[test]
fn the_loop_is_alive_while_work_is_queued_and_not_after() {
    let mut lp = pool_loop(2);
    assert!(
        !lp.alive(),
        "a started pool with nothing queued keeps nothing alive"
    );
    let result = Rc::new(Cell::new(0));
    let r = result.clone();
    lp.queue_work(
        || {
            std::thread::sleep(Duration::from_millis(50));
            6 * 7
        },
        move |_, answer| r.set(answer.unwrap()),
    )
    .unwrap();
    assert!(lp.alive(), "queued work keeps the loop alive");
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(result.get(), 42, "run returned only after after_work ran");
    assert!(!lp.alive());
}

#[test]
fn work_runs_on_a_pool_thread_and_after_work_on_the_loop_thread() {
    let mut lp = pool_loop(4);
    let loop_thread = std::thread::current().id();
    let seen = Rc::new(RefCell::new(None));
    let s = seen.clone();
    lp.queue_work(
        || std::thread::current().id(),
        move |_, worker| {
            *s.borrow_mut() = Some((worker.unwrap(), std::thread::current().id()));
        },
    )
    .unwrap();
    lp.run(RunMode::Default).unwrap();
    let (worker, after) = seen.borrow().unwrap();
    assert_ne!(worker, loop_thread);
    assert_eq!(after, loop_thread);
}

#[test]
fn ten_thousand_items_each_complete_exactly_once() {
    const N: usize = 10_000;
    let mut lp = pool_loop(4);
    let ran = Arc::new((0..N).map(|_| AtomicU64::new(0)).collect::<Vec<_>>());
    let completed = Rc::new(RefCell::new(vec![0u32; N]));
    for i in 0..N {
        let (ran, completed) = (ran.clone(), completed.clone());
        lp.queue_work(
            move || {
                ran[i].fetch_add(1, Ordering::SeqCst);
                i
            },
            move |_, got| completed.borrow_mut()[got.unwrap()] += 1,
        )
        .unwrap();
    }
    assert!(!lp.run(RunMode::Default).unwrap());
    assert!(ran.iter().all(|r| r.load(Ordering::SeqCst) == 1));
    assert!(completed.borrow().iter().all(|&c| c == 1));
}

#[test]
fn cancel_before_start_gives_ecanceled_and_after_start_is_refused() {
    let mut lp = pool_loop(1);
    let (started_tx, started_rx) = mpsc::channel();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let outcomes = Rc::new(RefCell::new(Vec::new()));
    let o = outcomes.clone();
    let running = lp
        .queue_work(
            move || {
                started_tx.send(()).unwrap();
                release_rx.recv().unwrap();
                "ran"
            },
            move |_, r| {
                o.borrow_mut()
                    .push(("first", r.map_err(|e| e.raw_os_error())))
            },
        )
        .unwrap();
    let o = outcomes.clone();
    let queued = lp
        .queue_work(
            || "should not run",
            move |_, r| {
                o.borrow_mut()
                    .push(("second", r.map_err(|e| e.raw_os_error())))
            },
        )
        .unwrap();
    started_rx.recv().unwrap(); // the only worker is busy with the first job
    let busy = lp.cancel_work(running).unwrap_err();
    assert_eq!(
        busy.raw_os_error(),
        Some(libc::EBUSY),
        "a running job is refused"
    );
    lp.cancel_work(queued).unwrap();
    assert_eq!(
        lp.cancel_work(queued).unwrap_err().raw_os_error(),
        Some(libc::EBUSY),
        "cancelling twice"
    );
    release_tx.send(()).unwrap();
    assert!(!lp.run(RunMode::Default).unwrap());
    let mut got = outcomes.borrow().clone();
    got.sort();
    assert_eq!(
        got,
        [("first", Ok("ran")), ("second", Err(Some(libc::ECANCELED)))]
    );
}

#[test]
fn a_panicking_work_function_is_an_error_for_after_work_not_a_dead_pool() {
    let mut lp = pool_loop(1);
    let errors = Rc::new(RefCell::new(Vec::new()));
    for i in 0..3 {
        let e = errors.clone();
        lp.queue_work(
            move || {
                assert!(i != 1, "job {i} fails");
                i
            },
            move |_, r: io::Result<i32>| e.borrow_mut().push(r.map_err(|e| e.to_string())),
        )
        .unwrap();
    }
    lp.run(RunMode::Default).unwrap();
    let got = errors.borrow();
    assert_eq!(got[0], Ok(0));
    assert!(
        got[1].as_ref().unwrap_err().contains("job 1 fails"),
        "{got:?}"
    );
    assert_eq!(got[2], Ok(2), "the single worker survived the panic");
}

#[test]
fn after_work_may_queue_more_work() {
    let mut lp = pool_loop(2);
    let left = Rc::new(Cell::new(100));
    fn again(lp: &mut Loop, left: Rc<Cell<u32>>) {
        lp.queue_work(
            || (),
            move |lp, r| {
                r.unwrap();
                left.set(left.get() - 1);
                if left.get() > 0 {
                    again(lp, left);
                }
            },
        )
        .unwrap();
    }
    again(&mut lp, left.clone());
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(left.get(), 0);
}

#[test]
fn starting_the_pool_twice_is_an_error() {
    let mut lp = pool_loop(2);
    let err = lp.start_threadpool(PoolSize::DEFAULT).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::AlreadyExists);
    assert_eq!(lp.threadpool_size(), Some(2));
}

/// The thread ids of this process whose name starts with `pool-worker` (Linux: /proc).
#[cfg(target_os = "linux")]
fn pool_threads() -> Vec<i64> {
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path();
            let name = std::fs::read_to_string(path.join("comm")).ok()?;
            let tid = path.file_name()?.to_str()?.parse().ok()?;
            name.starts_with("pool-worker").then_some(tid)
        })
        .collect()
}

/// Dropping the loop stops and joins its pool: the threads that ran its work are gone from
/// `/proc/self/task`. (Other tests run pools at the same time, so the test follows its own
/// threads by id: each of the 4 workers runs one job that reports `gettid`.)
#[cfg(target_os = "linux")]
#[test]
fn dropping_the_loop_leaves_no_pool_thread_behind() {
    let mut lp = pool_loop(4);
    let all_busy = Arc::new(Barrier::new(4));
    let tids = Rc::new(RefCell::new(Vec::new()));
    for _ in 0..4 {
        let (all_busy, tids) = (all_busy.clone(), tids.clone());
        lp.queue_work(
            move || {
                all_busy.wait(); // four jobs at once: one on each worker
                // SAFETY: gettid has no arguments and cannot fail.
                i64::from(unsafe { libc::gettid() })
            },
            move |_, tid| tids.borrow_mut().push(tid.unwrap()),
        )
        .unwrap();
    }
    lp.run(RunMode::Default).unwrap();
    let ours = tids.borrow().clone();
    assert_eq!(ours.len(), 4);
    assert!(ours.iter().all(|t| pool_threads().contains(t)));
    drop(lp);
    let left: Vec<_> = pool_threads()
        .into_iter()
        .filter(|t| ours.contains(t))
        .collect();
    assert!(left.is_empty(), "pool threads still running: {left:?}");
}

#[test]
fn dropping_the_loop_with_work_queued_drops_the_work_and_returns() {
    let mut lp = pool_loop(1);
    let (started_tx, started_rx) = mpsc::channel();
    lp.queue_work(
        move || {
            started_tx.send(()).unwrap();
            // Long enough for the test thread to reach `drop` first, even on a busy machine.
            std::thread::sleep(Duration::from_millis(300));
        },
        |_, _| {},
    )
    .unwrap();
    let never = Arc::new(AtomicBool::new(false));
    for _ in 0..100 {
        let never = never.clone();
        lp.queue_work(move || never.store(true, Ordering::SeqCst), |_, _| {})
            .unwrap();
    }
    started_rx.recv().unwrap();
    drop(lp); // waits for the running job, drops the 100 queued ones
    assert!(
        !never.load(Ordering::SeqCst),
        "queued work ran after the loop was dropped"
    );
}
