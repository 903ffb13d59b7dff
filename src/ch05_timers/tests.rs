//! The rules of the timers, each checked on the real loop with real time. Bounds are one-sided
//! or generous: a busy machine may make a timer later, never earlier.

use super::*;
use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// A shared log the callbacks append to.
fn log<T>() -> Rc<RefCell<Vec<T>>> {
    Rc::new(RefCell::new(Vec::new()))
}

/// Busy-waits: a callback that blocks the loop, as CPU-heavy JavaScript would.
fn block_for(d: Duration) {
    let start = Instant::now();
    while start.elapsed() < d {
        std::hint::spin_loop();
    }
}

#[test]
fn a_timer_never_fires_before_its_deadline() {
    let mut lp = Loop::new();
    let fired = log();
    for delay in [1, 2, 5, 10, 15, 30] {
        let set_at = lp.now();
        let fired = fired.clone();
        lp.set_timeout(ms(delay), move |lp| {
            fired
                .borrow_mut()
                .push((delay, set_at, lp.now(), Instant::now()));
        });
    }
    lp.run().unwrap();
    let fired = fired.borrow();
    assert_eq!(fired.len(), 6);
    for &(delay, set_at, loop_now, real_now) in fired.iter() {
        assert!(
            loop_now >= set_at + ms(delay),
            "{delay} ms timer fired early (loop time)"
        );
        assert!(
            real_now >= set_at + ms(delay),
            "{delay} ms timer fired early (clock)"
        );
    }
}

#[test]
fn timers_fire_in_deadline_order_whatever_order_they_were_set() {
    let mut lp = Loop::new();
    let order = log();
    for delay in [30, 10, 20] {
        let order = order.clone();
        lp.set_timeout(ms(delay), move |_| order.borrow_mut().push(delay));
    }
    lp.run().unwrap();
    assert_eq!(*order.borrow(), [10, 20, 30]);
}

#[test]
fn equal_deadlines_fire_in_the_order_set() {
    let mut lp = Loop::new();
    let order = log();
    for name in ["a", "b", "c", "d", "e", "f"] {
        let order = order.clone();
        lp.set_timeout(ms(5), move |_| order.borrow_mut().push(name));
    }
    lp.run().unwrap();
    assert_eq!(*order.borrow(), ["a", "b", "c", "d", "e", "f"]);
}

#[test]
fn a_timer_cleared_by_an_earlier_callback_in_the_same_turn_does_not_fire() {
    let mut lp = Loop::new();
    let order = log();
    // Both are due in the same timers phase: the first clears the second.
    let victim = Rc::new(RefCell::new(None));
    {
        let (order, victim) = (order.clone(), victim.clone());
        lp.set_timeout(ms(5), move |lp| {
            order.borrow_mut().push("first");
            let id = victim.borrow_mut().take().unwrap();
            assert!(lp.clear_timeout(id), "the victim was still active");
        });
    }
    let id = {
        let order = order.clone();
        lp.set_timeout(ms(5), move |_| order.borrow_mut().push("victim"))
    };
    *victim.borrow_mut() = Some(id);
    lp.run().unwrap();
    assert_eq!(*order.borrow(), ["first"]);
    assert!(!lp.is_active(id));
}

#[test]
fn a_zero_delay_timer_set_by_a_timer_waits_for_the_next_turn() {
    let mut lp = Loop::new();
    let seen = log();
    {
        let seen = seen.clone();
        lp.set_timeout(ms(5), move |lp| {
            let turn = lp.turns();
            seen.borrow_mut().push(("outer", turn));
            let seen = seen.clone();
            lp.set_timeout(Duration::ZERO, move |lp| {
                seen.borrow_mut().push(("inner", lp.turns()))
            });
            // Block past the inner timer's deadline and tell the loop: the inner timer is due,
            // yet must not run in this phase.
            block_for(ms(3));
            lp.update_time();
        });
    }
    lp.run().unwrap();
    let seen = seen.borrow();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].0, "outer");
    assert_eq!(seen[1].0, "inner");
    assert!(
        seen[1].1 > seen[0].1,
        "inner ran in the same turn: {seen:?}"
    );
}

#[test]
fn the_timers_phase_does_not_run_timers_started_during_it() {
    // The same rule, one level down: a single phase with a fixed clock.
    let mut lp = Loop::new();
    let ran = log();
    {
        let ran = ran.clone();
        lp.set_timeout(ms(1), move |lp| {
            ran.borrow_mut().push("outer");
            let ran = ran.clone();
            lp.set_timeout(ms(1), move |_| ran.borrow_mut().push("inner"));
        });
    }
    lp.now += ms(100); // far in the future: both timers would be due
    assert_eq!(lp.run_timers(), 1);
    assert_eq!(*ran.borrow(), ["outer"]);
    lp.now += ms(100);
    assert_eq!(lp.run_timers(), 1);
    assert_eq!(*ran.borrow(), ["outer", "inner"]);
}

#[test]
fn an_interval_is_rearmed_before_its_callback_and_can_clear_itself() {
    let mut lp = Loop::new();
    let ticks = log();
    let me = Rc::new(RefCell::new(None));
    let id = {
        let (ticks, me) = (ticks.clone(), me.clone());
        lp.set_interval(ms(5), move |lp| {
            let id = me.borrow().unwrap();
            // Re-armed already: active, with its next deadline in the heap.
            assert!(lp.is_active(id));
            assert!(lp.heap.next_deadline().is_some());
            ticks.borrow_mut().push(lp.now());
            if ticks.borrow().len() == 3 {
                assert!(lp.clear_interval(id));
            }
        })
    };
    *me.borrow_mut() = Some(id);
    lp.run().unwrap(); // returns only because the interval cleared itself
    let ticks = ticks.borrow();
    assert_eq!(ticks.len(), 3);
    for pair in ticks.windows(2) {
        assert!(pair[1] >= pair[0] + ms(5), "ticks closer than the period");
    }
    assert!(!lp.is_active(id));
    assert_eq!(lp.active_timers(), 0);
}

#[test]
fn clearing_an_interval_from_another_timer_stops_it() {
    let mut lp = Loop::new();
    let ticks = Rc::new(RefCell::new(0));
    let id = {
        let ticks = ticks.clone();
        lp.set_interval(ms(2), move |_| *ticks.borrow_mut() += 1)
    };
    lp.set_timeout(ms(11), move |lp| {
        assert!(lp.clear_interval(id));
    });
    lp.run().unwrap();
    let ticks = *ticks.borrow();
    assert!(
        (1..=5).contains(&ticks),
        "{ticks} ticks in 11 ms of a 2 ms interval"
    );
}

#[test]
fn a_blocking_callback_makes_a_later_timer_late() {
    let mut lp = Loop::new();
    let start = lp.now();
    let fired_at = Rc::new(RefCell::new(None));
    lp.set_timeout(ms(10), |_| block_for(ms(50)));
    {
        let fired_at = fired_at.clone();
        lp.set_timeout(ms(20), move |_| {
            *fired_at.borrow_mut() = Some(Instant::now())
        });
    }
    lp.run().unwrap();
    let late = fired_at.borrow().unwrap() - start;
    // Due at 20 ms, but the loop was busy until 10 + 50 = 60 ms at least.
    assert!(late >= ms(60), "fired after {late:?}");
    assert!(
        late < ms(2_000),
        "fired after {late:?}: far later than the blocking explains"
    );
}

#[test]
fn the_poll_timeout_comes_from_the_cached_time_so_a_blocked_loop_oversleeps() {
    // libuv computes the poll timeout from the time cached before the timers ran, so after a
    // callback that blocked for 50 ms the loop still sleeps the full remaining 30 ms.
    let mut lp = Loop::new();
    let start = lp.now();
    let fired_at = Rc::new(RefCell::new(None));
    lp.set_timeout(ms(10), |_| block_for(ms(50)));
    {
        let fired_at = fired_at.clone();
        lp.set_timeout(ms(40), move |_| {
            *fired_at.borrow_mut() = Some(Instant::now())
        });
    }
    lp.run().unwrap();
    let late = fired_at.borrow().unwrap() - start;
    // Due at 40 ms; the clock says 60 ms when the first callback returns; the poll then waits
    // 40 - 10 = 30 ms more.
    assert!(late >= ms(90), "fired after {late:?}");
    assert!(late < ms(2_000), "fired after {late:?}");
}

#[test]
fn huge_delays_do_not_overflow_and_can_be_cleared() {
    let mut lp = Loop::new();
    let id = lp.set_timeout(Duration::MAX, |_| panic!("fired"));
    let interval = lp.set_interval(Duration::MAX, |_| panic!("fired"));
    assert_eq!(
        poll_timeout_ms(lp.now(), lp.heap.next_deadline()),
        libc::c_int::MAX
    );
    assert!(lp.clear_timeout(id));
    assert!(lp.clear_interval(interval));
    assert!(!lp.clear_timeout(id), "a second clear finds nothing");
    lp.run().unwrap(); // nothing alive: returns at once
}

#[test]
fn a_readable_fd_wakes_the_loop_before_the_timeout() {
    let (reader, writer) = std::io::pipe().unwrap();
    let mut lp = Loop::new();
    let start = lp.now();
    let woke = Rc::new(RefCell::new(None));
    {
        let woke = woke.clone();
        lp.watch_readable(reader.into(), move |lp, id| {
            *woke.borrow_mut() = Some(Instant::now());
            drop(lp.unwatch(id));
        });
    }
    let writer = std::thread::spawn(move || {
        std::thread::sleep(ms(20));
        use std::io::Write;
        (&writer).write_all(b"x").unwrap();
    });
    let timer_fired = Rc::new(RefCell::new(None));
    let timer = {
        let timer_fired = timer_fired.clone();
        lp.set_timeout(ms(200), move |_| {
            *timer_fired.borrow_mut() = Some(Instant::now())
        })
    };
    lp.run().unwrap();
    writer.join().unwrap();
    let woke = woke.borrow().unwrap() - start;
    assert!(woke >= ms(20), "woke after {woke:?}, before the write");
    let fired = timer_fired.borrow().unwrap() - start;
    assert!(
        woke < fired,
        "the fd ({woke:?}) should wake the loop before the timer ({fired:?})"
    );
    assert!(!lp.is_active(timer));
}

#[test]
fn an_unwatched_fd_is_closed_and_not_dispatched_again() {
    let (reader, writer) = std::io::pipe().unwrap();
    let mut lp = Loop::new();
    use std::io::Write;
    (&writer).write_all(b"x").unwrap();
    let calls = Rc::new(RefCell::new(0));
    {
        let calls = calls.clone();
        // Level-triggered and never drained: it would be called every turn if not unwatched.
        lp.watch_readable(reader.into(), move |lp, id| {
            *calls.borrow_mut() += 1;
            assert!(lp.watched_fd(id).is_some());
            drop(lp.unwatch(id));
            assert!(lp.watched_fd(id).is_none());
        });
    }
    lp.run().unwrap();
    assert_eq!(*calls.borrow(), 1);
    // The read end is closed: writing now fails with EPIPE.
    let err = (&writer).write_all(b"y").unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::BrokenPipe);
}
