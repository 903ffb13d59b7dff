//! The chapter's traced run: a 100 ms timer, and an I/O completion at ~95 ms whose callback
//! blocks for 10 ms, so the timer fires at ~105 ms.

use super::{Loop, RunMode, Trace};
use crate::ch06_pollers::Interest;
use std::cell::Cell;
use std::io::{self, Write};
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// What the traced run measured.
pub struct DemoReport {
    /// When the I/O callback started, since the loop began.
    pub io_at: Duration,
    /// When the timer callback ran, since the loop began.
    pub timer_at: Duration,
    /// The recorded trace.
    pub trace: Trace,
}

// ANCHOR: demo
/// Runs the demo: a timer of `timer_ms`; a socket that another thread makes readable after
/// `io_ms`; the socket's callback busy-waits `block_ms`.
pub fn traced_run(timer_ms: u64, io_ms: u64, block_ms: u64) -> io::Result<DemoReport> {
    let mut lp: Loop = Loop::new()?;
    lp.enable_trace();
    let timer_at = Rc::new(Cell::new(Duration::ZERO));
    let io_at = Rc::new(Cell::new(Duration::ZERO));

    let timer = lp.timer_init();
    lp.set_name(timer, format!("setTimeout {timer_ms} ms"));
    let at = timer_at.clone();
    lp.timer_start(
        timer,
        Duration::from_millis(timer_ms),
        Duration::ZERO,
        move |lp, _| {
            at.set(lp.since_start(Instant::now()));
        },
    );

    // The "I/O completion": a peer writes one byte after `io_ms`.
    let (ours, mut theirs) = UnixStream::pair()?;
    ours.set_nonblocking(true)?;
    let writer = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(io_ms));
        theirs.write_all(b"!")
    });
    let watcher = lp.io_init(OwnedFd::from(ours));
    lp.set_name(watcher, format!("I/O callback, blocks {block_ms} ms"));
    let at = io_at.clone();
    lp.io_start(watcher, Interest::READABLE, move |lp, me, _| {
        at.set(lp.since_start(Instant::now()));
        let end = Instant::now() + Duration::from_millis(block_ms);
        while Instant::now() < end {
            std::hint::spin_loop(); // a callback that computes instead of returning
        }
        lp.close(me, |_, _| {});
    })?;

    lp.run(RunMode::Default)?;
    writer.join().expect("the writer thread")?;
    Ok(DemoReport {
        io_at: io_at.get(),
        timer_at: timer_at.get(),
        trace: lp.trace().cloned().unwrap_or_default(),
    })
}
// ANCHOR_END: demo
