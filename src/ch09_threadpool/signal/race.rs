//! The Ctrl-C race of chapters 1–8, with the signal put exactly inside its window, twice: once
//! reaching the loop through a flag (chapters 1–8), once through a signal handle (this chapter).
//!
//! The window is the gap between a loop's last look at its stop flag and the moment it blocks
//! in the kernel. A prepare callback runs in exactly that gap (right before the poll phase), so
//! raising the signal there is the race, made to happen every time instead of once in a while.

use crate::ch07_phases::{Loop, RunMode};
use crate::sys::ok_or_errno;
use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// What one run saw.
#[derive(Debug, Clone, Copy)]
pub struct RaceOutcome {
    /// From raising the signal to the loop noticing it.
    pub noticed_after: Duration,
    /// Whether the loop only noticed when the safety timer fired (it slept through the signal).
    pub slept_through: bool,
}

/// Set by [`on_signal_set_flag`]; what chapters 1–8 look at.
static FLAG: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal_set_flag(_signum: libc::c_int) {
    FLAG.store(true, Ordering::SeqCst);
}

// ANCHOR: flag
/// Chapters 1–8's way: the handler sets a flag, the loop checks it before blocking. The signal
/// lands after the check: the loop blocks anyway and sleeps until its `safety` timer.
pub fn with_a_flag(signum: libc::c_int, safety: Duration) -> io::Result<RaceOutcome> {
    let old = install_flag_handler(signum)?;
    FLAG.store(false, Ordering::SeqCst);
    let mut lp: Loop = Loop::new()?;
    let raised_at = Rc::new(Cell::new(None::<Instant>));
    let prepare = lp.prepare_init();
    let raised = raised_at.clone();
    lp.prepare_start(prepare, move |lp, me| {
        if FLAG.load(Ordering::SeqCst) {
            lp.stop(); // the check: not yet
        }
        raise(signum); // ... and the signal arrives right after it
        raised.set(Some(Instant::now()));
        lp.prepare_stop(me);
    });
    let timer = lp.timer_init();
    let noticed = Rc::new(Cell::new(None::<Instant>));
    let n = noticed.clone();
    lp.timer_start(timer, safety, Duration::ZERO, move |_, _| {
        if FLAG.load(Ordering::SeqCst) {
            n.set(Some(Instant::now()));
        }
    });
    let ran = lp.run(RunMode::Default);
    restore(signum, &old);
    ran?;
    outcome(raised_at.get(), noticed.get(), safety)
}
// ANCHOR_END: flag

// ANCHOR: handle
/// This chapter's way: the same signal at the same moment, but it writes a byte into a pipe the
/// loop watches. The poll phase finds the pipe readable and does not block at all.
pub fn with_a_signal_handle(signum: libc::c_int, safety: Duration) -> io::Result<RaceOutcome> {
    let mut lp: Loop = Loop::new()?;
    let noticed = Rc::new(Cell::new(None::<Instant>));
    let n = noticed.clone();
    let signal = lp.signal_start(signum, move |lp, me, _| {
        n.set(Some(Instant::now()));
        lp.close(me, |_, _| {});
        lp.stop();
    })?;
    let raised_at = Rc::new(Cell::new(None::<Instant>));
    let prepare = lp.prepare_init();
    let raised = raised_at.clone();
    lp.prepare_start(prepare, move |lp, me| {
        raise(signum); // the same moment: after every check, right before the poll phase
        raised.set(Some(Instant::now()));
        lp.prepare_stop(me);
    });
    let timer = lp.timer_init();
    lp.timer_start(timer, safety, Duration::ZERO, |_, _| {});
    lp.unref(timer);
    let ran = lp.run(RunMode::Default);
    lp.close(signal, |_, _| {});
    ran?;
    outcome(raised_at.get(), noticed.get(), safety)
}
// ANCHOR_END: handle

fn outcome(
    raised: Option<Instant>,
    noticed: Option<Instant>,
    safety: Duration,
) -> io::Result<RaceOutcome> {
    let raised = raised.ok_or_else(|| io::Error::other("the signal was never raised"))?;
    let noticed_after = match noticed {
        Some(at) => at.saturating_duration_since(raised),
        None => return Err(io::Error::other("the loop never noticed the signal")),
    };
    Ok(RaceOutcome {
        noticed_after,
        slept_through: noticed_after >= safety.mul_f64(0.9),
    })
}

/// Sends `signum` to the calling thread; its handler has run by the time this returns.
fn raise(signum: libc::c_int) {
    // SAFETY: raise takes a plain signal number; a handler is installed for it.
    unsafe { libc::raise(signum) };
}

fn install_flag_handler(signum: libc::c_int) -> io::Result<libc::sigaction> {
    // SAFETY: `sigaction` is plain data; all-zero is a valid starting value.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = on_signal_set_flag as *const () as libc::sighandler_t;
    // SAFETY: `action.sa_mask` is a valid, writable sigset_t.
    ok_or_errno(unsafe { libc::sigemptyset(&mut action.sa_mask) })?;
    // SAFETY: all-zero is a valid sigaction for the kernel to overwrite.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: `action` is initialised, the handler only stores to an atomic, `old` is writable.
    ok_or_errno(unsafe { libc::sigaction(signum, &action, &mut old) })?;
    Ok(old)
}

fn restore(signum: libc::c_int, old: &libc::sigaction) {
    // SAFETY: `old` came from sigaction for this signal.
    unsafe { libc::sigaction(signum, old, std::ptr::null_mut()) };
}
