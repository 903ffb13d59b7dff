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
            std::thread::yield_now(); // leave the core to the loop thread
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

// ---- Node's fs and dns layer ------------------------------------------------------------------

use eventloops::ch08_ticks::Node;
use eventloops::ch09_threadpool::fs::{FileStat, FsError};
use std::path::PathBuf;

/// Runs `main` on a booted Node and the loop to the end; returns what the callbacks stored.
fn node_run<T: 'static>(main: impl FnOnce(&mut Node, Rc<RefCell<Option<T>>>)) -> T {
    let mut node = Node::boot().unwrap();
    let out = Rc::new(RefCell::new(None));
    node.run_main(|node| main(node, out.clone()));
    node.run_until_done().unwrap();
    out.borrow_mut().take().expect("the callback ran")
}

fn temp_path(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("eventloops-ch09-{}-{name}", std::process::id()))
}

#[test]
fn read_file_of_a_missing_file_gives_enoent_to_the_callback() {
    let err: FsError = node_run(|node, out| {
        node.read_file("no/such/file.txt", move |_, r| *out.borrow_mut() = r.err())
            .unwrap();
    });
    assert_eq!(err.errno, libc::ENOENT);
    assert_eq!((err.code().as_str(), err.syscall), ("ENOENT", "open"));
    assert_eq!(
        err.to_string(),
        "ENOENT: no such file or directory, open 'no/such/file.txt'"
    );
}

#[test]
fn read_file_of_a_directory_or_a_bad_path_is_an_error_not_a_panic() {
    let err = node_run(|node, out| {
        node.read_file(std::env::temp_dir(), move |_, r| {
            *out.borrow_mut() = r.err()
        })
        .unwrap();
    });
    assert_eq!((err.errno, err.syscall), (libc::EISDIR, "read"));
    let err = node_run(|node, out| {
        node.read_file("nul\0byte", move |_, r| *out.borrow_mut() = r.err())
            .unwrap();
    });
    assert_eq!(err.errno, libc::EINVAL);
}

/// 3 MiB and a bit: more than one 512 KiB read request, and a last short one.
#[test]
fn a_large_file_is_read_whole_in_several_requests() {
    let path = temp_path("large");
    let data: Vec<u8> = (0..3 * 1024 * 1024 + 12_345)
        .map(|i| (i * 7 % 251) as u8)
        .collect();
    std::fs::write(&path, &data).unwrap();
    let p = path.clone();
    let got: Vec<u8> = node_run(move |node, out| {
        node.read_file(p, move |_, r| *out.borrow_mut() = Some(r.unwrap()))
            .unwrap();
    });
    std::fs::remove_file(&path).unwrap();
    assert!(got == data, "read {} bytes of {}", got.len(), data.len());
}

/// A file whose size `fstat` does not know (0 for /proc files) is read until end of file.
#[cfg(target_os = "linux")]
#[test]
fn a_file_of_unknown_size_is_read_to_the_end() {
    let got: Vec<u8> = node_run(|node, out| {
        node.read_file("/proc/self/status", move |_, r| {
            *out.borrow_mut() = Some(r.unwrap())
        })
        .unwrap();
    });
    let text = String::from_utf8(got).unwrap();
    assert!(
        text.starts_with("Name:") && text.contains("Threads:"),
        "{text}"
    );
}

#[test]
fn write_file_stat_read_file_unlink_round_trip() {
    let path = temp_path("roundtrip");
    let p = path.clone();
    let (stat, text, gone): (FileStat, String, i32) = node_run(move |node, out| {
        node.write_file(p.clone(), "twelve bytes", move |node, r| {
            r.unwrap();
            node.stat(p.clone(), move |node, st| {
                let st = st.unwrap();
                node.read_file(p.clone(), move |node, text| {
                    let text = String::from_utf8(text.unwrap()).unwrap();
                    node.unlink(p.clone(), move |node, r| {
                        r.unwrap();
                        node.unlink(p, move |_, again| {
                            let errno = again.unwrap_err().errno;
                            *out.borrow_mut() = Some((st, text, errno));
                        })
                        .unwrap();
                    })
                    .unwrap();
                })
                .unwrap();
            })
            .unwrap();
        })
        .unwrap();
    });
    assert!(stat.is_file() && !stat.is_dir());
    assert_eq!(stat.size, 12);
    assert_eq!(text, "twelve bytes");
    assert_eq!(gone, libc::ENOENT, "unlinking twice");
    assert!(!path.exists());
}

#[test]
fn write_file_into_a_missing_directory_is_enoent() {
    let err = node_run(|node, out| {
        node.write_file("no/such/dir/file.txt", "x", move |_, r| {
            *out.borrow_mut() = r.err()
        })
        .unwrap();
    });
    assert_eq!((err.errno, err.syscall), (libc::ENOENT, "open"));
}

#[test]
fn lookup_of_localhost_finds_a_loopback_address() {
    let addrs = node_run(|node, out| {
        node.lookup("localhost", move |_, r| *out.borrow_mut() = Some(r))
            .unwrap();
    })
    .unwrap();
    assert!(addrs.iter().any(|a| a.is_loopback()), "{addrs:?}");
}

#[test]
fn lookup_of_a_name_that_cannot_exist_is_an_error() {
    let err = node_run(|node, out| {
        node.lookup("nonexistent.invalid", move |_, r| {
            *out.borrow_mut() = r.err()
        })
        .unwrap();
    });
    // `.invalid` never resolves (RFC 6761); with no resolver reachable it is EAI_AGAIN instead.
    assert!(["ENOTFOUND", "EAI_AGAIN"].contains(&err.code), "{err}");
    assert!(err.to_string().starts_with("getaddrinfo "));
}

// ---- the program ------------------------------------------------------------------------------

mod util;

use std::process::Command;
use util::{Program, assert_refuses_a_port_in_use};

const EXE: &str = env!("CARGO_BIN_EXE_ch09-threadpool");

/// Runs the program to its end with `args` (after `--port 0`); returns status, stdout, stderr.
fn run_program(args: &[&str], env: &[(&str, &str)]) -> (Option<i32>, String, String) {
    let out = Command::new(EXE)
        .args(["--port", "0"])
        .args(args)
        .envs(env.iter().copied())
        .env_remove_if_absent(env)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The tests must not depend on the size variable of whoever runs them.
trait EnvRemove {
    fn env_remove_if_absent(&mut self, env: &[(&str, &str)]) -> &mut Self;
}

impl EnvRemove for Command {
    fn env_remove_if_absent(&mut self, env: &[(&str, &str)]) -> &mut Self {
        let var = eventloops::ch09_threadpool::POOL_SIZE_VAR;
        if !env.iter().any(|(k, _)| *k == var) {
            self.env_remove(var);
        }
        self
    }
}

#[test]
fn help_says_what_the_program_does() {
    let out = Command::new(EXE).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    assert!(text.contains("thread pool") && text.contains("--port") && text.contains("--pool"));
    for command in [
        "tick",
        "slow",
        "coalesce",
        "race",
        "read-file",
        "why",
        "serve",
    ] {
        assert!(text.contains(command), "--help does not list {command}");
    }
}

#[test]
fn the_first_line_is_listening_and_the_pool_size_is_reported() {
    let (code, out, _) = run_program(&["--pool", "3", "race"], &[]);
    assert_eq!(code, Some(0));
    let mut lines = out.lines();
    assert!(lines.next().unwrap().starts_with("listening on 127.0.0.1:"));
    assert_eq!(lines.next().unwrap(), "pool: 3 threads (--pool)");
}

#[test]
fn tick_keeps_ticking_while_the_pool_works_and_exits_0() {
    let (code, out, err) = run_program(&["tick", "--mib", "4"], &[]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("write_file done"), "{out}");
    assert!(out.contains("read_file done: 4194304 bytes"), "{out}");
    assert!(out.contains("computed on pool-worker-"), "{out}");
    assert!(out.contains("ticks; the longest gap"), "{out}");
    assert!(out.contains("tick 1"), "{out}");
}

#[test]
fn tick_on_the_loop_computes_on_the_main_thread() {
    let (code, out, _) = run_program(&["tick", "--mib", "2", "--on-loop"], &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains("computed on main"), "{out}");
}

/// Two threads, three tasks: the third can only start when one of the first two is done.
#[test]
fn slow_shows_the_task_beyond_the_pool_size_waiting() {
    let (code, out, _) = run_program(&["--pool", "2", "slow", "--task-ms", "300"], &[]);
    assert_eq!(code, Some(0));
    let done: Vec<_> = out
        .lines()
        .filter(|l| l.contains(" done: started at"))
        .collect();
    assert_eq!(done.len(), 3, "{out}");
    assert!(
        out.lines()
            .any(|l| l.contains("task 3 done") && l.contains("waited for a free thread")),
        "{out}"
    );
}

#[test]
fn coalesce_counts_far_fewer_wakeups_than_sends() {
    for args in [
        &["coalesce", "--sends", "200000"][..],
        &["coalesce", "--sends", "200000", "--pipe"],
    ] {
        let (code, out, _) = run_program(args, &[]);
        assert_eq!(code, Some(0));
        let line = out.lines().find(|l| l.contains(" sends -> ")).expect(&out);
        let numbers: Vec<u64> = line
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|w| w.parse().ok())
            .collect();
        let (sends, wakes, callbacks) = (numbers[0], numbers[1], numbers[2]);
        assert_eq!(sends, 200_001);
        assert!(wakes >= 1 && wakes < sends / 2, "{line}");
        assert!(callbacks >= 1 && callbacks <= wakes, "{line}");
    }
}

#[test]
fn race_shows_the_flag_sleeping_and_the_signal_handle_not() {
    let (code, out, _) = run_program(&["race"], &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains("slept until its 500 ms timer"), "{out}");
    assert!(out.contains("the pipe was readable: no sleep"), "{out}");
}

#[test]
fn read_file_of_a_missing_file_reports_enoent_and_exits_1_without_a_panic() {
    let (code, out, err) = run_program(&["read-file", "no/such/file"], &[]);
    assert_eq!(code, Some(1));
    assert!(
        out.contains(
            "read_file no/such/file: ENOENT: no such file or directory, open 'no/such/file'"
        ),
        "{out}"
    );
    assert!(!err.contains("panicked"), "{err}");
    let (code, out, _) = run_program(&["read-file", "Cargo.toml"], &[]);
    assert_eq!(code, Some(0));
    assert!(out.contains("read_file Cargo.toml: ") && out.contains(" bytes"));
}

#[test]
fn a_pool_size_of_0_or_absurd_values_is_a_clear_error() {
    for bad in ["0", "5000", "many"] {
        let (code, _, err) = run_program(&["--pool", bad, "race"], &[]);
        assert_eq!(code, Some(2), "--pool {bad}");
        assert!(
            err.contains("invalid value") && err.contains("--pool"),
            "{err}"
        );
        let var = eventloops::ch09_threadpool::POOL_SIZE_VAR;
        let (code, out, err) = run_program(&["race"], &[(var, bad)]);
        assert_eq!(code, Some(1), "{var}={bad}");
        assert!(out.is_empty(), "nothing printed before the error: {out}");
        assert!(
            err.starts_with(&format!("ch09-threadpool: {var}={bad}: ")),
            "{err}"
        );
        assert!(!err.contains("panicked"));
    }
}

#[test]
fn a_port_in_use_is_refused_with_a_clear_error() {
    assert_refuses_a_port_in_use(EXE, "ch09-threadpool");
}

#[test]
fn serve_answers_paths_with_sizes_and_errors_and_leaks_no_fds() {
    let mut program = Program::start(EXE, &["serve"]);
    program.wait_for_line("serving files");
    program.assert_clients_leave_no_fds(3, 5, |client, _| {
        client.send(b"Cargo.toml\n");
        client.read_line();
    });
    let mut client = program.connect();
    client.send(b"Cargo.toml\nno/such/file\n");
    // Answers come in the order the reads finish: the failed open (one trip through the pool)
    // usually overtakes the file read (four trips).
    let mut answers = [client.read_line(), client.read_line()];
    answers.sort();
    assert!(
        answers[0].starts_with("Cargo.toml: ") && answers[0].contains(" bytes, checksum "),
        "{answers:?}"
    );
    assert_eq!(
        answers[1],
        "no/such/file: ENOENT: no such file or directory, open 'no/such/file'"
    );
    // A client that sends and at once shuts down its sending side still gets every answer
    // (they are being read on the pool when the end of file arrives), then end of file.
    let mut client = program.connect();
    client.send(b"Cargo.toml\nCargo.lock\n");
    client.stream().shutdown(std::net::Shutdown::Write).unwrap();
    let answers = String::from_utf8(client.read_to_end()).unwrap();
    assert_eq!(answers.lines().count(), 2, "{answers}");
    program.interrupt();
    let (status, lines) = program.wait_for_exit();
    assert_eq!(status.code(), Some(0));
    assert!(
        lines
            .iter()
            .any(|l| l.contains("SIGINT (Ctrl-C) arrived through the signal handle"))
    );
}

#[test]
fn why_shows_that_the_kernel_cannot_poll_a_file() {
    let (code, out, _) = run_program(&["why", "Cargo.toml"], &[]);
    assert_eq!(code, Some(0));
    #[cfg(target_os = "linux")]
    assert!(
        out.contains("epoll: watching Cargo.toml fails with EPERM"),
        "{out}"
    );
    assert!(
        out.contains("poll: Cargo.toml is readable at once"),
        "{out}"
    );
    assert!(
        out.contains("getaddrinfo(\"localhost\"): a blocking call with no fd"),
        "{out}"
    );
}

/// Ctrl-C at random moments of every mode: one SIGINT is always enough (no second press, as
/// chapters 1–8's tests need), and the program exits 0 promptly, even with work running on
/// the pool.
#[test]
fn ctrl_c_at_random_moments_always_exits_0_promptly() {
    let modes: [&[&str]; 3] = [
        &["serve"],
        &["tick", "--rounds", "50"],
        &["slow", "--task-ms", "5000"],
    ];
    let mut random = Random(0x2545_f491_4f6c_dd1d);
    for round in 0..12 {
        let mode = modes[round % modes.len()];
        let mut program = Program::start(EXE, mode);
        std::thread::sleep(Duration::from_millis(random.below(400)));
        let pressed = Instant::now();
        program.interrupt();
        let (status, lines) = program.wait_for_exit();
        assert_eq!(status.code(), Some(0), "{mode:?}: {lines:?}");
        assert!(
            pressed.elapsed() < Duration::from_secs(5),
            "{mode:?} took {:?} to stop",
            pressed.elapsed()
        );
        assert!(
            lines.iter().any(|l| l.contains("SIGINT (Ctrl-C) arrived")),
            "{mode:?}: {lines:?}"
        );
    }
}
