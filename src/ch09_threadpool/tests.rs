//! Behaviour tests of the wakeup, async and signal handles, in the spirit of libuv's
//! `test/test-async.c` and `test/test-signal.c`.

use super::*;
use crate::ch07_phases::{Loop, RunMode};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Signals are process-wide and the tests of this crate share a process: the tests that raise
/// signals take turns.
fn signal_lock() -> MutexGuard<'static, ()> {
    static LOCK: Mutex<()> = Mutex::new(());
    LOCK.lock().unwrap_or_else(|e| e.into_inner())
}

fn raise(signum: libc::c_int) {
    // SAFETY: plain signal number; each test installs a handler before raising.
    unsafe { libc::raise(signum) };
}

// ---- async ------------------------------------------------------------------------------------

#[test]
fn a_send_from_another_thread_runs_the_callback_on_the_loop_thread() {
    let mut lp: Loop = Loop::new().unwrap();
    let loop_thread = std::thread::current().id();
    let ran_on = Rc::new(Cell::new(None));
    let r = ran_on.clone();
    let (_handle, sender) = lp
        .async_init(move |lp, me| {
            r.set(Some(std::thread::current().id()));
            lp.close(me, |_, _| {});
        })
        .unwrap();
    let t = std::thread::spawn(move || sender.send().unwrap());
    assert!(!lp.run(RunMode::Default).unwrap());
    t.join().unwrap();
    assert_eq!(ran_on.get(), Some(loop_thread));
}

/// 8 threads × 100,000 sends. Each thread counts before it sends, so the callback can tell when
/// it has seen all of them; the loop closing the handle then is the proof that no send was lost.
/// Coalescing: far fewer callbacks and system calls than sends.
fn many_threads_sending(wakeup: Wakeup) {
    const THREADS: u64 = 8;
    const SENDS: u64 = 100_000;
    let mut lp: Loop = Loop::new().unwrap();
    let counted = Arc::new(AtomicU64::new(0));
    let callbacks = Rc::new(Cell::new(0u64));
    let (c, seen) = (callbacks.clone(), counted.clone());
    let (_h, sender) = lp
        .async_init_with(wakeup, move |lp, me| {
            c.set(c.get() + 1);
            if seen.load(Ordering::SeqCst) == THREADS * SENDS {
                lp.close(me, |_, _| {});
            }
        })
        .unwrap();
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let (sender, counted) = (sender.clone(), counted.clone());
            std::thread::spawn(move || {
                for _ in 0..SENDS {
                    counted.fetch_add(1, Ordering::SeqCst);
                    sender.send().unwrap();
                }
            })
        })
        .collect();
    assert!(!lp.run(RunMode::Default).unwrap(), "every send was seen");
    for t in threads {
        t.join().unwrap();
    }
    let sends = THREADS * SENDS;
    assert!(callbacks.get() >= 1);
    assert!(
        callbacks.get() < sends / 10,
        "{} callbacks",
        callbacks.get()
    );
    assert!(sender.wakes() < sends / 10, "{} wakes", sender.wakes());
    assert!(callbacks.get() <= sender.wakes());
}

#[test]
fn sends_from_8_threads_are_all_seen_and_coalesced_eventfd() {
    many_threads_sending(Wakeup::new().unwrap());
}

#[test]
fn sends_from_8_threads_are_all_seen_and_coalesced_pipe() {
    many_threads_sending(Wakeup::pipe().unwrap());
}

#[test]
fn sends_before_the_loop_runs_are_one_callback_and_one_system_call() {
    let mut lp: Loop = Loop::new().unwrap();
    let calls = Rc::new(Cell::new(0));
    let c = calls.clone();
    let (handle, sender) = lp.async_init(move |_, _| c.set(c.get() + 1)).unwrap();
    for _ in 0..1000 {
        sender.send().unwrap();
    }
    lp.run(RunMode::NoWait).unwrap();
    assert_eq!(calls.get(), 1);
    assert_eq!(sender.wakes(), 1);
    sender.send().unwrap(); // after the callback: a new wake
    lp.run(RunMode::NoWait).unwrap();
    assert_eq!((calls.get(), sender.wakes()), (2, 2));
    lp.close(handle, |_, _| {});
    lp.run(RunMode::Default).unwrap();
}

#[test]
fn an_async_handle_keeps_the_loop_alive_until_closed_or_unreferenced() {
    let mut lp: Loop = Loop::new().unwrap();
    let (handle, _sender) = lp.async_init(|_, _| {}).unwrap();
    assert!(lp.alive());
    lp.unref(handle);
    assert!(!lp.alive());
    assert!(!lp.run(RunMode::Default).unwrap());
    lp.ref_handle(handle);
    lp.close(handle, |_, _| {});
    assert!(!lp.run(RunMode::Default).unwrap());
}

#[test]
fn a_send_after_close_or_after_the_loop_is_gone_is_harmless() {
    let mut lp: Loop = Loop::new().unwrap();
    let (handle, sender) = lp.async_init(|_, _| panic!("closed")).unwrap();
    lp.close(handle, |_, _| {});
    sender.send().unwrap();
    lp.run(RunMode::Default).unwrap();
    drop(lp);
    sender.send().unwrap();
}

// ---- signals ----------------------------------------------------------------------------------

#[test]
fn a_signal_becomes_a_callback_in_the_poll_phase() {
    let _turn = signal_lock();
    let mut lp: Loop = Loop::new().unwrap();
    let got = Rc::new(Cell::new(0));
    let g = got.clone();
    lp.signal_start(libc::SIGUSR2, move |lp, me, signum| {
        g.set(signum);
        lp.close(me, |_, _| {});
    })
    .unwrap();
    raise(libc::SIGUSR2);
    assert!(!lp.run(RunMode::Default).unwrap());
    assert_eq!(got.get(), libc::SIGUSR2);
}

#[test]
fn every_signal_caught_is_one_callback() {
    let _turn = signal_lock();
    let mut lp: Loop = Loop::new().unwrap();
    let got = Rc::new(Cell::new(0));
    let g = got.clone();
    let handle = lp
        .signal_start(libc::SIGWINCH, move |_, _, _| g.set(g.get() + 1))
        .unwrap();
    for _ in 0..5 {
        raise(libc::SIGWINCH); // handled before raise returns: five separate deliveries
    }
    lp.run(RunMode::NoWait).unwrap();
    assert_eq!(got.get(), 5);
    lp.close(handle, |_, _| {});
    lp.run(RunMode::Default).unwrap();
}

#[test]
fn two_loops_watching_one_signal_both_hear_it() {
    let _turn = signal_lock();
    let mut a: Loop = Loop::new().unwrap();
    let mut b: Loop = Loop::new().unwrap();
    let heard = Rc::new(Cell::new(0));
    for lp in [&mut a, &mut b] {
        let h = heard.clone();
        lp.signal_start(libc::SIGWINCH, move |lp, me, _| {
            h.set(h.get() + 1);
            lp.close(me, |_, _| {});
        })
        .unwrap();
    }
    raise(libc::SIGWINCH);
    a.run(RunMode::Default).unwrap();
    b.run(RunMode::Default).unwrap();
    assert_eq!(heard.get(), 2);
}

/// The previous disposition of a signal is back once its last handle is closed.
#[test]
fn closing_the_last_handle_restores_the_previous_disposition() {
    let _turn = signal_lock();
    let disposition = || {
        // SAFETY: all-zero is a valid sigaction for the kernel to overwrite; a null new action
        // only reads the current one.
        let mut now: libc::sigaction = unsafe { std::mem::zeroed() };
        // SAFETY: see above.
        unsafe { libc::sigaction(libc::SIGURG, std::ptr::null(), &mut now) };
        now.sa_sigaction
    };
    let before = disposition();
    let mut lp: Loop = Loop::new().unwrap();
    let h1 = lp.signal_start(libc::SIGURG, |_, _, _| {}).unwrap();
    let h2 = lp.signal_start(libc::SIGURG, |_, _, _| {}).unwrap();
    assert_ne!(disposition(), before);
    lp.close(h1, |_, _| {});
    lp.run(RunMode::NoWait).unwrap();
    assert_ne!(disposition(), before, "one handle still wants it");
    lp.close(h2, |_, _| {});
    lp.run(RunMode::Default).unwrap();
    assert_eq!(disposition(), before);
}

#[test]
fn signals_that_cannot_be_caught_are_refused_and_slots_are_reused() {
    let mut lp: Loop = Loop::new().unwrap();
    for bad in [0, -3, libc::SIGKILL, libc::SIGSTOP, 1000] {
        let err = lp.signal_start(bad, |_, _, _| {}).unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EINVAL), "signal {bad}");
    }
    // Far more handles than the table has slots, one after the other: each close frees one.
    for _ in 0..3 * signal::MAX_SIGNAL_HANDLES {
        let h = lp.signal_start(libc::SIGCHLD, |_, _, _| {}).unwrap();
        lp.close(h, |_, _| {});
        lp.run(RunMode::NoWait).unwrap();
    }
}

#[test]
fn an_unreferenced_signal_handle_does_not_keep_the_loop_alive() {
    let mut lp: Loop = Loop::new().unwrap();
    let h = lp.signal_start(libc::SIGCHLD, |_, _, _| {}).unwrap();
    lp.unref(h);
    assert!(!lp.run(RunMode::Default).unwrap());
    lp.close(h, |_, _| {});
    lp.run(RunMode::Default).unwrap();
}

// ---- the race ---------------------------------------------------------------------------------

#[test]
fn a_signal_in_the_window_is_missed_by_a_flag_and_not_by_a_signal_handle() {
    let _turn = signal_lock();
    let safety = Duration::from_millis(300);
    let flag = signal::race::with_a_flag(libc::SIGUSR2, safety).unwrap();
    assert!(flag.slept_through, "{flag:?}");
    let handle = signal::race::with_a_signal_handle(libc::SIGUSR2, safety).unwrap();
    assert!(!handle.slept_through, "{handle:?}");
}

#[test]
fn an_async_sender_can_go_to_any_thread() {
    fn send_sync_clone<T: Send + Sync + Clone + 'static>() {}
    send_sync_clone::<AsyncSender>();
}
