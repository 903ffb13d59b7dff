//! Coalescing, counted: one thread sends a million times to an async handle; the loop counts
//! its callbacks, and the handle counts the sends that made a system call.

use super::stamp;
use crate::ch08_ticks::Node;
use crate::ch09_threadpool::Wakeup;
use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// What one run counted.
#[derive(Debug, Clone, Copy)]
pub struct Counts {
    /// Sends made.
    pub sends: u64,
    /// Sends that wrote to the wakeup fd.
    pub wakes: u64,
    /// Callbacks run on the loop thread.
    pub callbacks: u64,
}

// ANCHOR: coalesce
/// Sends `sends` times from another thread, then once more after setting a "finished" flag; the
/// callback closes the handle when it sees the flag. Runs `done` with the counts.
pub fn start(
    node: &mut Node,
    sends: u64,
    wakeup: Wakeup,
    done: impl FnOnce(&mut Node, Counts) + 'static,
) -> io::Result<()> {
    let t0 = Instant::now();
    let finished = Arc::new(AtomicBool::new(false));
    let callbacks = Rc::new(Cell::new(0u64));
    let done = Rc::new(Cell::new(Some(done)));
    let (f, c) = (finished.clone(), callbacks.clone());
    let sender_slot = Rc::new(Cell::new(None));
    let s = sender_slot.clone();
    let (_handle, sender) = node.async_init_with(wakeup, move |node, me| {
        c.set(c.get() + 1);
        if f.load(Ordering::SeqCst) {
            node.close(me, |_, _| {});
            let wakes = s
                .take()
                .map_or(0, |s: crate::ch09_threadpool::AsyncSender| s.wakes());
            if let Some(done) = done.take() {
                done(
                    node,
                    Counts {
                        sends: sends + 1,
                        wakes,
                        callbacks: c.get(),
                    },
                );
            }
        }
    })?;
    println!(
        "{}  a thread sends {sends} times to an async handle ({})",
        stamp(t0),
        sender.wakeup_name()
    );
    sender_slot.set(Some(sender.clone()));
    std::thread::Builder::new()
        .name("sender".into())
        .spawn(move || {
            for _ in 0..sends {
                let _ = sender.send();
            }
            finished.store(true, Ordering::SeqCst);
            let _ = sender.send();
        })?;
    Ok(())
}
// ANCHOR_END: coalesce
