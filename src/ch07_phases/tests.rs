//! Behaviour tests in the spirit of libuv's own `test/test-*.c`.

use super::*;
use crate::ch06_pollers::Interest;
use std::cell::RefCell;
use std::io::Write;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::time::{Duration, Instant};

type Log = Rc<RefCell<Vec<String>>>;

fn log() -> Log {
    Rc::new(RefCell::new(Vec::new()))
}

fn push(log: &Log, s: impl Into<String>) {
    log.borrow_mut().push(s.into());
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn new_loop() -> Loop {
    Loop::new().unwrap()
}

/// A socket pair with one byte waiting on `.0`, which the loop owns as an I/O watcher's fd.
fn readable_pair() -> (OwnedFd, UnixStream) {
    let (a, mut b) = UnixStream::pair().unwrap();
    a.set_nonblocking(true).unwrap();
    b.write_all(b"x").unwrap();
    (OwnedFd::from(a), b)
}

#[test]
fn timers_with_equal_timeouts_fire_in_start_order() {
    let mut lp = new_loop();
    let out = log();
    for name in ["a", "b", "c", "d"] {
        let t = lp.timer_init();
        let out = out.clone();
        lp.timer_start(t, ms(2), Duration::ZERO, move |_, _| push(&out, name));
    }
    let late = lp.timer_init();
    let o = out.clone();
    lp.timer_start(late, ms(3), Duration::ZERO, move |_, _| push(&o, "late"));
    let early = lp.timer_init();
    let o = out.clone();
    lp.timer_start(early, ms(1), Duration::ZERO, move |_, _| push(&o, "early"));
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*out.borrow(), ["early", "a", "b", "c", "d", "late"]);
}

#[test]
fn a_stopped_timer_does_not_fire_and_does_not_keep_the_loop_alive() {
    let mut lp = new_loop();
    let t = lp.timer_init();
    lp.timer_start(t, ms(10_000), Duration::ZERO, |_, _| {
        panic!("stopped timer fired")
    });
    assert!(lp.timer_stop(t));
    assert!(!lp.alive());
    let start = Instant::now();
    assert!(!lp.run(RunMode::Default).unwrap());
    // Far below the timer's 10 s, with room for a busy machine.
    assert!(start.elapsed() < ms(5_000));
}

#[test]
fn repeating_timer_repeats_until_stopped_from_its_callback() {
    let mut lp = new_loop();
    let count = Rc::new(RefCell::new(0));
    let t = lp.timer_init();
    let c = count.clone();
    lp.timer_start(t, ms(1), ms(1), move |lp, me| {
        *c.borrow_mut() += 1;
        if *c.borrow() == 5 {
            lp.timer_stop(me);
        }
    });
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*count.borrow(), 5);
}

#[test]
fn timer_again_pushes_back_a_repeating_timer_and_ignores_a_one_shot() {
    let start = Instant::now(); // before the loop reads its time: elapsed >= loop-relative time
    let mut lp = new_loop();
    let fired = log();
    // A one-shot timer: `timer_again` leaves it alone (repeat is zero).
    let once = lp.timer_init();
    let f = fired.clone();
    lp.timer_start(once, ms(5), Duration::ZERO, move |_, _| push(&f, "once"));
    lp.timer_again(once).unwrap();
    assert!(lp.is_active(once));
    // A repeating inactivity timer, pushed back three times by another timer before it can fire.
    let idle_timeout = lp.timer_init();
    let f = fired.clone();
    lp.timer_start(idle_timeout, ms(50), ms(30), move |lp, me| {
        push(&f, "timeout");
        lp.close(me, |_, _| {});
    });
    let pusher = lp.timer_init();
    let pushes = Rc::new(RefCell::new(0));
    let p = pushes.clone();
    lp.timer_start(pusher, ms(10), ms(10), move |lp, me| {
        *p.borrow_mut() += 1;
        lp.timer_again(idle_timeout).unwrap();
        if *p.borrow() == 3 {
            lp.close(me, |_, _| {});
        }
    });
    assert!(!lp.run(RunMode::Default).unwrap());
    // The last push happened at ~30 ms, so the timeout fires ~30 ms after that.
    assert!(
        start.elapsed() >= ms(55),
        "fired after {:?}",
        start.elapsed()
    );
    assert_eq!(*fired.borrow(), ["once", "timeout"]);
    assert_eq!(lp.timer_repeat(pusher), None, "closed handles are gone");
}

#[test]
fn a_timer_started_in_a_timer_callback_waits_for_the_next_timers_phase() {
    let mut lp = new_loop();
    let out = log();
    let a = lp.timer_init();
    let o = out.clone();
    lp.timer_start(a, Duration::ZERO, Duration::ZERO, move |lp, _| {
        push(&o, "a");
        let a2 = lp.timer_init();
        let o2 = o.clone();
        lp.timer_start(a2, Duration::ZERO, Duration::ZERO, move |_, _| {
            push(&o2, "a2")
        });
    });
    let b = lp.timer_init();
    let o = out.clone();
    lp.timer_start(b, Duration::ZERO, Duration::ZERO, move |lp, _| {
        push(&o, "b");
        // Started after a2, due at once: still later than a2 in (deadline, start order).
        let _ = lp;
    });
    assert!(lp.run(RunMode::NoWait).unwrap(), "a2 is still waiting");
    assert_eq!(*out.borrow(), ["a", "b"]);
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*out.borrow(), ["a", "b", "a2"]);
}

#[test]
fn run_once_blocks_for_the_timer_and_reports_the_loop_done() {
    let start = Instant::now();
    let mut lp = new_loop();
    let t = lp.timer_init();
    let fired = Rc::new(RefCell::new(false));
    let f = fired.clone();
    lp.timer_start(t, ms(20), Duration::ZERO, move |_, _| {
        *f.borrow_mut() = true
    });
    let alive = lp.run(RunMode::Once).unwrap();
    assert!(
        *fired.borrow(),
        "once waits in poll, then runs the due timer"
    );
    assert!(!alive);
    assert!(start.elapsed() >= ms(20));
}

#[test]
fn run_nowait_does_not_block_and_reports_the_loop_still_alive() {
    let mut lp = new_loop();
    let t = lp.timer_init();
    lp.timer_start(t, ms(10_000), Duration::ZERO, |_, _| panic!("fired early"));
    let start = Instant::now();
    assert!(lp.run(RunMode::NoWait).unwrap());
    assert!(start.elapsed() < ms(5_000));
    lp.close(t, |_, _| {});
    assert!(!lp.run(RunMode::NoWait).unwrap());
}

#[test]
fn an_unreferenced_timer_does_not_keep_the_loop_alive() {
    let mut lp = new_loop();
    let t = lp.timer_init();
    lp.timer_start(t, ms(10_000), Duration::ZERO, |_, _| {
        panic!("unref'd timer ran")
    });
    assert!(lp.unref(t));
    assert!(!lp.has_ref(t));
    assert!(!lp.alive());
    let start = Instant::now();
    assert!(!lp.run(RunMode::Default).unwrap());
    // Far below the timer's 10 s, with room for a busy machine.
    assert!(start.elapsed() < ms(5_000));
    assert!(
        lp.is_active(t),
        "still started: the loop just does not wait for it"
    );
}

#[test]
fn an_unreferenced_timer_fires_while_something_else_keeps_the_loop_alive() {
    let mut lp = new_loop();
    let out = log();
    let weak = lp.timer_init();
    let o = out.clone();
    lp.timer_start(weak, ms(5), Duration::ZERO, move |_, _| push(&o, "unref'd"));
    lp.unref(weak);
    let strong = lp.timer_init();
    let o = out.clone();
    lp.timer_start(strong, ms(30), Duration::ZERO, move |_, _| {
        push(&o, "ref'd")
    });
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*out.borrow(), ["unref'd", "ref'd"]);
}

#[test]
fn stop_inside_a_callback_ends_run_after_that_turn() {
    let mut lp = new_loop();
    let turns = Rc::new(RefCell::new(0));
    let idle = lp.idle_init();
    let t = turns.clone();
    lp.idle_start(idle, move |lp, _| {
        *t.borrow_mut() += 1;
        lp.stop();
    });
    assert!(lp.run(RunMode::Default).unwrap(), "stopped, not finished");
    assert_eq!(*turns.borrow(), 1);
    assert!(
        lp.run(RunMode::Default).unwrap(),
        "the stop flag was cleared"
    );
    assert_eq!(*turns.borrow(), 2);
    lp.close(idle, |_, _| {});
    assert!(!lp.run(RunMode::Default).unwrap());
}

#[test]
fn close_inside_its_own_callback_stops_it_and_runs_the_close_callback_once() {
    let mut lp = new_loop();
    let out = log();
    let idle = lp.idle_init();
    let o = out.clone();
    lp.idle_start(idle, move |lp, me| {
        push(&o, "idle");
        let o2 = o.clone();
        assert!(lp.close(me, move |_, _| push(&o2, "closed")));
        assert!(
            !lp.close(me, |_, _| panic!("second close")),
            "closing twice"
        );
        assert!(
            !lp.idle_start(me, |_, _| {}),
            "a closing handle cannot restart"
        );
    });
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*out.borrow(), ["idle", "closed"]);
    assert!(!lp.is_active(idle) && lp.is_closing(idle));
    assert!(!lp.idle_stop(idle), "the handle is gone");
}

#[test]
fn an_active_idle_handle_keeps_the_poll_timeout_at_zero() {
    let mut lp = new_loop();
    let t = lp.timer_init();
    lp.timer_start(t, ms(1000), Duration::ZERO, |_, _| {});
    assert!((999..=1000).contains(&lp.poll_timeout()));
    let idle = lp.idle_init();
    let turns = Rc::new(RefCell::new(0));
    let n = turns.clone();
    lp.idle_start(idle, move |lp, me| {
        *n.borrow_mut() += 1;
        if *n.borrow() == 100 {
            lp.idle_stop(me);
            lp.close(me, |_, _| {});
        }
    });
    assert_eq!(lp.poll_timeout(), 0);
    // An unreferenced idle handle still keeps poll from blocking.
    lp.unref(idle);
    assert_eq!(lp.poll_timeout(), 0);
    lp.ref_handle(idle);
    lp.timer_stop(t);
    let start = Instant::now();
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*turns.borrow(), 100);
    assert!(start.elapsed() < ms(5_000), "100 turns never blocked");
}

#[test]
fn poll_timeout_follows_libuvs_rules() {
    let mut lp = new_loop();
    assert_eq!(lp.poll_timeout(), 0, "nothing alive: do not block");
    let (fd, _peer) = {
        let (a, b) = UnixStream::pair().unwrap();
        (OwnedFd::from(a), b)
    };
    let w = lp.io_init(fd);
    lp.io_start(w, Interest::READABLE, |_, _, _| {}).unwrap();
    assert_eq!(
        lp.poll_timeout(),
        -1,
        "a watcher and no timer: block forever"
    );
    let t = lp.timer_init();
    lp.timer_start(t, ms(7), Duration::ZERO, |_, _| {});
    assert_eq!(lp.poll_timeout(), 7, "the nearest timer");
    lp.unref(t);
    assert_eq!(
        lp.poll_timeout(),
        7,
        "unreferenced timers still bound the wait"
    );
    lp.queue_pending(|_| {});
    assert_eq!(lp.poll_timeout(), 0, "pending callbacks waiting");
    lp.run(RunMode::NoWait).unwrap();
    assert_eq!(lp.poll_timeout(), 7);
    lp.stop();
    assert_eq!(lp.poll_timeout(), 0, "stopping");
    lp.run(RunMode::NoWait).unwrap();
    let idle = lp.idle_init();
    lp.close(idle, |_, _| {});
    assert_eq!(lp.poll_timeout(), 0, "a close callback waiting");
    lp.run(RunMode::NoWait).unwrap();
    lp.close(w, |_, _| {});
    lp.close(t, |_, _| {});
    assert!(!lp.run(RunMode::Default).unwrap());
}

#[test]
fn close_callbacks_run_after_the_check_phase_of_the_same_turn() {
    let mut lp = new_loop();
    let out = log();
    let check = lp.check_init();
    let o = out.clone();
    lp.check_start(check, move |lp, me| {
        push(&o, "check");
        lp.close(me, |_, _| {});
    });
    let prepare = lp.prepare_init();
    let o = out.clone();
    lp.prepare_start(prepare, move |lp, me| {
        push(&o, "prepare closes itself");
        let o2 = o.clone();
        lp.close(me, move |_, _| push(&o2, "close callback"));
    });
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(
        *out.borrow(),
        ["prepare closes itself", "check", "close callback"]
    );
}

#[test]
fn one_turn_runs_the_phases_in_libuv_order() {
    let mut lp = new_loop();
    let out = log();
    let (fd, _peer) = readable_pair();
    let w = lp.io_init(fd);
    let o = out.clone();
    lp.io_start(w, Interest::READABLE, move |lp, me, _| {
        push(&o, "poll");
        let o2 = o.clone();
        lp.queue_pending(move |_| push(&o2, "pending (queued by poll)"));
        let o3 = o.clone();
        lp.close(me, move |_, _| push(&o3, "closing"));
    })
    .unwrap();
    let o = out.clone();
    lp.queue_pending(move |_| push(&o, "pending"));
    for (name, init, start) in [
        ("idle", Loop::idle_init as fn(&mut Loop) -> Handle, 0),
        ("prepare", Loop::prepare_init, 1),
        ("check", Loop::check_init, 2),
    ] {
        let h = init(&mut lp);
        let o = out.clone();
        let cb = move |lp: &mut Loop, me: Handle| {
            push(&o, name);
            lp.close(me, |_, _| {});
        };
        match start {
            0 => lp.idle_start(h, cb),
            1 => lp.prepare_start(h, cb),
            _ => lp.check_start(h, cb),
        };
    }
    let t = lp.timer_init();
    let o = out.clone();
    lp.timer_start(t, ms(1), Duration::ZERO, move |_, _| push(&o, "timers"));
    // Make the timer due by the first turn's end, but not at the pre-loop timers run.
    assert!(!lp.run(RunMode::Once).unwrap() || lp.run(RunMode::Default).is_ok());
    let got = out.borrow().clone();
    assert_eq!(
        got[..7],
        [
            "pending",
            "idle",
            "prepare",
            "poll",
            "pending (queued by poll)",
            "check",
            "closing"
        ]
    );
    assert_eq!(got.last().map(String::as_str), Some("timers"));
}

#[test]
fn default_mode_runs_due_timers_before_the_first_turn() {
    let mut lp = new_loop();
    let out = log();
    let t = lp.timer_init();
    let o = out.clone();
    lp.timer_start(t, Duration::ZERO, Duration::ZERO, move |_, _| {
        push(&o, "timer")
    });
    let idle = lp.idle_init();
    let o = out.clone();
    lp.idle_start(idle, move |lp, me| {
        push(&o, "idle");
        lp.close(me, |_, _| {});
    });
    std::thread::sleep(ms(2));
    lp.run(RunMode::Default).unwrap();
    assert_eq!(*out.borrow(), ["timer", "idle"]);

    // `Once` has no pre-loop timers run: the due timer waits for the end of the turn.
    let mut lp = new_loop();
    let out = log();
    let t = lp.timer_init();
    let o = out.clone();
    lp.timer_start(t, Duration::ZERO, Duration::ZERO, move |_, _| {
        push(&o, "timer")
    });
    let idle = lp.idle_init();
    let o = out.clone();
    lp.idle_start(idle, move |lp, me| {
        push(&o, "idle");
        lp.close(me, |_, _| {});
    });
    std::thread::sleep(ms(2));
    lp.run(RunMode::Once).unwrap();
    assert_eq!(*out.borrow(), ["idle", "timer"]);
}

#[test]
fn a_handle_started_during_its_phase_waits_for_the_next_turn() {
    let mut lp = new_loop();
    let out = log();
    let first = lp.idle_init();
    let o = out.clone();
    lp.idle_start(first, move |lp, me| {
        push(&o, "first");
        lp.close(me, |_, _| {});
        let second = lp.idle_init();
        let o2 = o.clone();
        lp.idle_start(second, move |lp, me| {
            push(&o2, "second");
            lp.close(me, |_, _| {});
        });
    });
    assert!(lp.run(RunMode::Once).unwrap());
    assert_eq!(*out.borrow(), ["first"]);
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*out.borrow(), ["first", "second"]);
}

#[test]
fn stopping_a_later_handle_of_the_same_phase_keeps_it_from_running() {
    let mut lp = new_loop();
    let out = log();
    let a = lp.check_init();
    let b = lp.check_init();
    // `b` first: handles of one kind run newest first, so `a` runs before it.
    lp.check_start(b, |_, _| panic!("b ran after being stopped"));
    let o = out.clone();
    lp.check_start(a, move |lp, me| {
        push(&o, "a stops b");
        lp.check_stop(b);
        lp.close(b, |_, _| {});
        lp.close(me, |_, _| {});
    });
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*out.borrow(), ["a stops b"]);
}

#[test]
fn closing_a_watcher_whose_event_is_later_in_the_same_batch_skips_it() {
    let mut lp = new_loop();
    let out = log();
    let (fd1, _p1) = readable_pair();
    let (fd2, _p2) = readable_pair();
    let w1 = lp.io_init(fd1);
    let w2 = lp.io_init(fd2);
    // Whichever callback runs first closes the other: exactly one runs.
    for (me, other) in [(w1, w2), (w2, w1)] {
        let o = out.clone();
        lp.io_start(me, Interest::READABLE, move |lp, me, _| {
            push(&o, "ran");
            lp.close(other, |_, _| {});
            lp.close(me, |_, _| {});
        })
        .unwrap();
    }
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*out.borrow(), ["ran"]);
}

#[test]
fn stopping_a_watcher_whose_event_is_later_in_the_same_batch_skips_it() {
    let mut lp = new_loop();
    let out = log();
    let (fd1, _p1) = readable_pair();
    let (fd2, _p2) = readable_pair();
    let w1 = lp.io_start_helper(fd1);
    let w2 = lp.io_start_helper(fd2);
    for (me, other) in [(w1, w2), (w2, w1)] {
        let o = out.clone();
        lp.io_start(me, Interest::READABLE, move |lp, me, _| {
            push(&o, "ran");
            lp.io_stop(other);
            lp.io_stop(me);
        })
        .unwrap();
    }
    assert!(
        !lp.run(RunMode::Default).unwrap(),
        "stopped watchers do not keep it alive"
    );
    assert_eq!(*out.borrow(), ["ran"]);
    assert!(lp.close(w1, |_, _| {}) && lp.close(w2, |_, _| {}));
    assert!(!lp.run(RunMode::Default).unwrap());
}

#[test]
fn an_event_is_masked_with_the_watchers_current_interest() {
    let mut lp = new_loop();
    let out = log();
    let (fd1, _p1) = readable_pair();
    let (fd2, _p2) = readable_pair();
    let w1 = lp.io_start_helper(fd1);
    let w2 = lp.io_start_helper(fd2);
    for (me, other) in [(w1, w2), (w2, w1)] {
        let o = out.clone();
        lp.io_start(me, Interest::READABLE, move |lp, me, event| {
            push(
                &o,
                format!("readable={} writable={}", event.readable, event.writable),
            );
            // The other now only wants writable; its readable event in this batch is masked
            // away, and the writable readiness it now asks for comes with the next wait.
            let o2 = o.clone();
            let _ = lp.io_start(other, Interest::WRITABLE, move |lp, other, event| {
                push(
                    &o2,
                    format!("readable={} writable={}", event.readable, event.writable),
                );
                lp.close(other, |_, _| {});
            });
            lp.close(me, |_, _| {});
        })
        .unwrap();
    }
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(
        *out.borrow(),
        [
            "readable=true writable=false",
            "readable=false writable=true"
        ]
    );
}

#[test]
fn pending_callbacks_keep_the_loop_alive_and_run_in_order() {
    let mut lp = new_loop();
    let out = log();
    for i in 0..3 {
        let o = out.clone();
        lp.queue_pending(move |lp| {
            push(&o, format!("pending {i}"));
            if i == 0 {
                let o2 = o.clone();
                lp.queue_pending(move |_| push(&o2, "queued by pending 0"));
            }
        });
    }
    assert!(lp.alive());
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(
        *out.borrow(),
        ["pending 0", "pending 1", "pending 2", "queued by pending 0"]
    );
}

#[test]
fn a_stale_handle_reaches_nothing_even_after_its_slot_is_reused() {
    let mut lp = new_loop();
    let old = lp.idle_init();
    lp.close(old, |_, _| {});
    lp.run(RunMode::Default).unwrap();
    let new = lp.timer_init();
    assert_eq!(new.index, old.index, "the slot was reused");
    assert!(!lp.idle_start(old, |_, _| panic!("stale")));
    assert!(!lp.timer_stop(old));
    assert!(!lp.close(old, |_, _| panic!("stale")));
    assert!(!lp.idle_start(new, |_, _| {}), "wrong kind");
}

#[test]
fn a_handle_of_one_loop_reaches_nothing_in_another() {
    let mut a = new_loop();
    let mut b = new_loop();
    let ours = b.timer_init();
    let theirs = a.timer_init();
    assert_eq!(theirs.index, ours.index, "the same slot in each loop");
    assert_eq!(theirs.generation, ours.generation);
    let fired = Rc::new(RefCell::new(0));
    let count = fired.clone();
    b.timer_start(ours, ms(1), Duration::ZERO, move |_, _| {
        *count.borrow_mut() += 1
    });
    assert!(!b.timer_stop(theirs), "a's handle must not stop b's timer");
    assert!(!b.close(theirs, |_, _| panic!("a's handle closed b's timer")));
    assert!(b.timer_again(theirs).is_err());
    let (fd, _peer) = readable_pair();
    let watcher = a.io_init(fd);
    assert!(
        b.io_start(watcher, Interest::READABLE, |_, _, _| {})
            .is_err()
    );
    assert!(!b.io_stop(watcher));
    b.run(RunMode::Default).unwrap();
    assert_eq!(*fired.borrow(), 1, "b's own timer ran");
}

#[test]
fn the_trace_records_callbacks_by_phase_and_the_wait_in_poll() {
    let mut lp = new_loop();
    lp.enable_trace();
    let t = lp.timer_init();
    lp.set_name(t, "my timer");
    lp.timer_start(t, ms(5), Duration::ZERO, |_, _| {});
    lp.run(RunMode::Default).unwrap();
    let trace = lp.trace().unwrap();
    let timer = trace.spans.iter().find(|s| s.label == "my timer").unwrap();
    assert_eq!(timer.phase, Phase::Timers);
    assert!(timer.start >= ms(5));
    let waited: Duration = trace
        .spans
        .iter()
        .filter(|s| s.waiting)
        .map(|s| s.end - s.start)
        .sum();
    assert!(
        waited >= ms(3),
        "the loop blocked in poll for the timer: {waited:?}"
    );
    let svg = trace.to_svg("test");
    assert!(svg.starts_with("<svg") && svg.contains("my timer"));
}

impl Loop {
    /// Test helper: a watcher on `fd`, not started.
    fn io_start_helper(&mut self, fd: OwnedFd) -> Handle {
        self.io_init(fd)
    }
}

extern "C" fn ignore_signal(_: libc::c_int) {}

#[test]
fn a_signal_during_the_wait_does_not_cut_the_timer_short() {
    // A handler without SA_RESTART, so the signal makes epoll_wait fail with EINTR.
    // SAFETY: a zeroed sigaction is a valid "no flags, empty mask" value; we set the handler to
    // a function that does nothing, which is async-signal-safe.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = ignore_signal as *const () as usize;
        libc::sigemptyset(&mut action.sa_mask);
        assert_eq!(
            libc::sigaction(libc::SIGUSR1, &action, std::ptr::null_mut()),
            0
        );
    }
    // SAFETY: pthread_self has no preconditions.
    let loop_thread = unsafe { libc::pthread_self() };
    let sender = std::thread::spawn(move || {
        for _ in 0..3 {
            std::thread::sleep(ms(10));
            // SAFETY: the loop thread is alive: it joins this thread before returning.
            unsafe { libc::pthread_kill(loop_thread, libc::SIGUSR1) };
        }
    });
    let mut lp = new_loop();
    let (fd, _peer) = {
        let (a, b) = UnixStream::pair().unwrap();
        (OwnedFd::from(a), b)
    };
    let w = lp.io_init(fd);
    lp.io_start(w, Interest::READABLE, |_, _, _| {
        panic!("nothing was written")
    })
    .unwrap();
    let t = lp.timer_init();
    let fired = Rc::new(RefCell::new(None));
    let f = fired.clone();
    // The timer counts from the loop time, which the loop read when it was created: measure
    // from there (a busy machine can put milliseconds between that and this line).
    let start = lp.now();
    lp.timer_start(t, ms(60), Duration::ZERO, move |lp, _| {
        *f.borrow_mut() = Some(start.elapsed());
        lp.stop();
    });
    lp.run(RunMode::Default).unwrap();
    sender.join().unwrap();
    let elapsed = fired.borrow().expect("the timer fired");
    assert!(elapsed >= ms(60), "fired after {elapsed:?}");
}

#[test]
fn a_full_batch_is_followed_by_another_wait_in_the_same_poll_phase() {
    // More ready watchers than one batch holds: a single non-blocking turn must still run them
    // all, because a full batch makes the poll phase wait again (timeout 0).
    let n = MAX_EVENTS + 100;
    let limit = crate::sys::limits::raise_fd_limit(4096).unwrap();
    if limit.soft < (2 * n + 64) as libc::rlim_t {
        eprintln!(
            "note: fd limit {} too low for {n} socket pairs; skipping",
            limit.soft
        );
        return;
    }
    let mut lp = new_loop();
    let ran = Rc::new(RefCell::new(0usize));
    let mut peers = Vec::with_capacity(n);
    for _ in 0..n {
        let (fd, peer) = readable_pair();
        peers.push(peer);
        let w = lp.io_init(fd);
        let r = ran.clone();
        lp.io_start(w, Interest::READABLE, move |lp, me, _| {
            *r.borrow_mut() += 1;
            lp.close(me, |_, _| {});
        })
        .unwrap();
    }
    assert!(!lp.run(RunMode::NoWait).unwrap());
    assert_eq!(*ran.borrow(), n);
}

// ---- libuv corners: what `uv_timer_again`, the handle queues and `uv__io_poll` do ----------------

#[test]
fn timer_again_on_a_timer_never_started_fails_with_einval() {
    // libuv's `uv_timer_again` checks `timer_cb == NULL` first: a timer never started has no
    // callback to run again, whatever its repeat.
    let mut lp = new_loop();
    let t = lp.timer_init();
    let err = lp.timer_again(t).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    lp.timer_set_repeat(t, ms(5));
    let err = lp.timer_again(t).unwrap_err();
    assert_eq!(err.raw_os_error(), Some(libc::EINVAL));
    assert!(!lp.is_active(t), "still not started");
    // Started once, then stopped: it has its callback, so `timer_again` restarts it.
    let fired = Rc::new(RefCell::new(0));
    let f = fired.clone();
    lp.timer_start(t, ms(10_000), Duration::ZERO, move |lp, me| {
        *f.borrow_mut() += 1;
        // From its own callback too (the callback is out of its slot while it runs).
        assert!(lp.timer_again(me).is_ok());
        lp.close(me, |_, _| {});
    });
    lp.timer_stop(t);
    lp.timer_set_repeat(t, ms(1));
    lp.timer_again(t).unwrap();
    assert!(lp.is_active(t));
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*fired.borrow(), 1);
    // A closed (and freed) timer, and a handle that is not a timer.
    assert!(lp.timer_again(t).is_err());
    let idle = lp.idle_init();
    assert_eq!(
        lp.timer_again(idle).unwrap_err().raw_os_error(),
        Some(libc::EINVAL)
    );
}

#[test]
fn huge_timer_durations_clamp_instead_of_panicking() {
    // `loop time + Duration::MAX` overflows `Instant`; libuv clamps the sum, so do we: the
    // timer is simply never due.
    let mut lp = new_loop();
    let never = lp.timer_init();
    assert!(
        lp.timer_start(never, Duration::MAX, Duration::ZERO, |_, _| {
            panic!("a Duration::MAX timer fired")
        })
    );
    assert_eq!(lp.poll_timeout(), i32::MAX);
    lp.unref(never);
    // A repeat of Duration::MAX: the first run re-arms the timer that far ahead.
    let once = lp.timer_init();
    let fired = Rc::new(RefCell::new(0));
    let f = fired.clone();
    assert!(lp.timer_start(once, ms(1), Duration::MAX, move |lp, me| {
        *f.borrow_mut() += 1;
        lp.unref(me);
    }));
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(*fired.borrow(), 1);
    assert!(lp.is_active(once), "re-armed, a very long way off");
    lp.timer_again(once).unwrap();
    lp.timer_set_repeat(never, Duration::MAX);
    lp.timer_again(never).unwrap();
}

#[test]
fn handles_of_one_kind_run_newest_first() {
    // libuv's loop-watcher.c inserts each started idle, prepare or check handle at the head of
    // its queue: started A then B, B runs first. Restarting A (stop, start) makes it the newest.
    let mut lp = new_loop();
    let out = log();
    let mut handles = Vec::new();
    for kind in ["idle", "prepare", "check"] {
        for name in ["A", "B"] {
            let o = out.clone();
            let label = format!("{kind} {name}");
            let cb = move |_: &mut Loop, _: Handle| push(&o, label.clone());
            let h = match kind {
                "idle" => {
                    let h = lp.idle_init();
                    lp.idle_start(h, cb);
                    h
                }
                "prepare" => {
                    let h = lp.prepare_init();
                    lp.prepare_start(h, cb);
                    h
                }
                _ => {
                    let h = lp.check_init();
                    lp.check_start(h, cb);
                    h
                }
            };
            handles.push(h);
        }
    }
    lp.run(RunMode::NoWait).unwrap();
    assert_eq!(
        *out.borrow(),
        [
            "idle B",
            "idle A",
            "prepare B",
            "prepare A",
            "check B",
            "check A"
        ]
    );
    out.borrow_mut().clear();
    let prepare_a = handles[2];
    lp.prepare_stop(prepare_a);
    let o = out.clone();
    lp.prepare_start(prepare_a, move |_, _| push(&o, "prepare A"));
    lp.run(RunMode::NoWait).unwrap();
    assert_eq!(
        *out.borrow(),
        [
            "idle B",
            "idle A",
            "prepare A",
            "prepare B",
            "check B",
            "check A"
        ]
    );
    for h in handles {
        lp.close(h, |_, _| {});
    }
    assert!(!lp.run(RunMode::Default).unwrap());
}

/// Runs `body` on a new loop in a thread of its own, and fails the test if it has not finished
/// within a few seconds: a loop that hangs in the poll phase must fail the test, not hang it.
fn finishes_in_time(body: fn() -> usize) -> usize {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(body());
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("the loop hung: it slept in the poll phase with no fd and no timer")
}

#[test]
fn a_loop_with_only_a_check_handle_turns_until_the_handle_stops_itself() {
    // libuv's `uv__io_poll` returns at once when no fd is watched, so the loop keeps turning and
    // runs the check handle every turn. Ours used to sleep in `epoll_wait(-1)` for ever.
    let turns = finishes_in_time(|| {
        let mut lp = new_loop();
        let n = Rc::new(RefCell::new(0));
        let check = lp.check_init();
        let c = n.clone();
        lp.check_start(check, move |lp, me| {
            *c.borrow_mut() += 1;
            if *c.borrow() == 5 {
                lp.check_stop(me);
            }
        });
        assert!(!lp.run(RunMode::Default).unwrap());
        *n.borrow()
    });
    assert_eq!(turns, 5);
}

#[test]
fn a_loop_with_only_a_prepare_handle_turns_until_the_handle_stops_itself() {
    let turns = finishes_in_time(|| {
        let mut lp = new_loop();
        let n = Rc::new(RefCell::new(0));
        let prepare = lp.prepare_init();
        let c = n.clone();
        lp.prepare_start(prepare, move |lp, me| {
            *c.borrow_mut() += 1;
            if *c.borrow() == 5 {
                lp.close(me, |_, _| {});
            }
        });
        assert!(!lp.run(RunMode::Default).unwrap());
        *n.borrow()
    });
    assert_eq!(turns, 5);
}

#[test]
fn with_no_fd_watched_the_loop_still_sleeps_until_its_timer() {
    // Only the wait that could never end returns at once: with a timer, the wait on no fd is a
    // sleep until it, as in libuv (whose own fds are always watched). A loop that returned at
    // once here would run the check handle thousands of times before the timer.
    let checks = finishes_in_time(|| {
        let mut lp = new_loop();
        let n = Rc::new(RefCell::new(0));
        let check = lp.check_init();
        let c = n.clone();
        lp.check_start(check, move |_, _| *c.borrow_mut() += 1);
        let t = lp.timer_init();
        lp.timer_start(t, ms(50), Duration::ZERO, move |lp, _| {
            lp.close(check, |_, _| {});
        });
        assert!(!lp.run(RunMode::Default).unwrap());
        *n.borrow()
    });
    assert!(
        checks <= 3,
        "the check handle ran {checks} times: the loop spun"
    );
}
