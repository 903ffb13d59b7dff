//! The classic example of the Node.js event-loop guide, on our loop: a 100 ms timer, an I/O
//! operation that completes at 95 ms and whose callback then blocks for 10 ms, and the timer
//! that therefore fires at about 105 ms.
//!
//! The I/O here is real: a helper thread connects to the program's listening socket at 95 ms,
//! and the loop, asleep in `poll(2)` with a 100 ms timeout, wakes because the listener became
//! readable.

use super::{Loop, Trace};
use crate::sys::net::{accept, local_port, set_nonblocking};
use crate::sys::signal::block_stop_signals_in_this_thread;
use crate::text::counted;
use std::cell::Cell;
use std::io;
use std::net::TcpStream;
use std::os::fd::{AsFd, OwnedFd};
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The example's three durations.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// The timer's delay (100 ms in the guide).
    pub timer: Duration,
    /// When the helper thread connects, counted from the start (95 ms).
    pub connect_at: Duration,
    /// How long the connection's callback busy-waits (10 ms).
    pub block: Duration,
}

/// What happened, for the program's summary line.
#[derive(Debug, Clone, Copy, Default)]
pub struct Report {
    /// When the timer fired, from the start, if it did.
    pub fired_after: Option<Duration>,
    /// Connections accepted.
    pub connections: u64,
    /// Turns of the loop.
    pub turns: u64,
}

/// Milliseconds with one decimal, as the program prints measured times.
fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

/// Whole milliseconds, as the program prints the plan.
fn whole_ms(d: Duration) -> u128 {
    d.as_millis()
}

// ANCHOR: example
/// The example, set up: a loop watching the listener, with the timer set. Nothing runs until
/// [`run`](Example::run), so a program can announce its port in between, once everything is in
/// place.
pub struct Example {
    lp: Loop,
    port: u16,
    plan: Plan,
    /// The loop's time when the timer was set: t = 0 for every line printed.
    start: Instant,
    fired_after: Rc<Cell<Option<Duration>>>,
    connections: Rc<Cell<u64>>,
}

impl Example {
    /// Sets the example up on `listener`: a watch that accepts, then blocks the loop, and the
    /// timer, set now (t = 0).
    pub fn new(listener: OwnedFd, plan: Plan) -> io::Result<Example> {
        set_nonblocking(listener.as_fd(), true)?;
        let port = local_port(listener.as_fd())?;
        let mut lp = Loop::new();
        let start = lp.now();
        let fired_after = Rc::new(Cell::new(None));
        let connections = Rc::new(Cell::new(0));

        lp.set_trace(move |t: &Trace| {
            let timeout = if t.timeout_ms < 0 {
                "none".to_string()
            } else {
                format!("{} ms", t.timeout_ms)
            };
            println!(
                "t={} ms: poll (timeout {timeout}) slept {} ms, {} ready",
                ms(start.elapsed()),
                ms(t.slept),
                counted(t.ready, "fd", "fds")
            );
        });

        // The operation: when the listener is readable, accept, then block the loop.
        let counter = connections.clone();
        let listening = lp.watch_readable(listener, move |lp, id| {
            let Some(fd) = lp.watched_fd(id) else { return };
            while let Ok((conn, peer)) = accept(fd) {
                counter.set(counter.get() + 1);
                println!(
                    "t={} ms: accepted {peer}; its callback blocks the loop for {} ms",
                    ms(start.elapsed()),
                    whole_ms(plan.block)
                );
                let busy = Instant::now();
                while busy.elapsed() < plan.block {
                    std::hint::spin_loop(); // CPU work: nothing else can run
                }
                drop(conn);
            }
        });

        // The timer, set at t = 0.
        let fired = fired_after.clone();
        lp.set_timeout(plan.timer, move |lp| {
            let after = start.elapsed();
            fired.set(Some(after));
            println!(
                "t={} ms: timer scheduled for {} ms fired after {} ms",
                ms(after),
                whole_ms(plan.timer),
                ms(after)
            );
            drop(lp.unwatch(listening)); // close the listener: the example is over
        });
        Ok(Example {
            lp,
            port,
            plan,
            start,
            fired_after,
            connections,
        })
    }

    /// The port the example's listener is bound to.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Starts the helper that makes the I/O complete at `connect_at`, and runs the loop until
    /// the timer has fired (it closes the listener, leaving the loop nothing to do) or Ctrl-C
    /// arrives.
    pub fn run(mut self) -> io::Result<Report> {
        let Example { plan, start, .. } = self;
        println!(
            "t=0.0 ms: timer set for {} ms; a client will connect at {} ms",
            whole_ms(plan.timer),
            whole_ms(plan.connect_at)
        );
        let port = self.port;
        std::thread::spawn(move || {
            let _ = block_stop_signals_in_this_thread(); // Ctrl-C belongs to the loop's thread
            std::thread::sleep(plan.connect_at.saturating_sub(start.elapsed()));
            let _ = TcpStream::connect(("127.0.0.1", port));
        });

        self.lp.run()?;
        Ok(Report {
            fired_after: self.fired_after.get(),
            connections: self.connections.get(),
            turns: self.lp.turns(),
        })
    }
}
// ANCHOR_END: example
