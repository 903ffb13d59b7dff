//! Chapter 8 exercises: Node's rule for the nextTick and microtask queues, and the check phase's
//! immediate queue.
//!
//! Read `book/src/ch08-ticks.md` first. Check your work with `cargo test -p exercises-ch08`.

use std::collections::VecDeque;

/// A queued callback. It gets the queues, so it can queue more.
pub type Job = Box<dyn FnOnce(&mut Queues)>;

/// Node's queues, without the loop around them.
#[derive(Default)]
pub struct Queues {
    /// `process.nextTick` callbacks.
    pub ticks: VecDeque<Job>,
    /// Promise jobs and `queueMicrotask` callbacks.
    pub microtasks: VecDeque<Job>,
    /// `setImmediate` callbacks.
    pub immediates: VecDeque<Job>,
    /// What the callbacks printed.
    pub log: Vec<String>,
}

impl Queues {
    /// `process.nextTick(job)`.
    pub fn next_tick(&mut self, job: impl FnOnce(&mut Queues) + 'static) {
        self.ticks.push_back(Box::new(job));
    }

    /// `queueMicrotask(job)`.
    pub fn queue_microtask(&mut self, job: impl FnOnce(&mut Queues) + 'static) {
        self.microtasks.push_back(Box::new(job));
    }

    /// `setImmediate(job)`.
    pub fn set_immediate(&mut self, job: impl FnOnce(&mut Queues) + 'static) {
        self.immediates.push_back(Box::new(job));
    }

    /// `console.log(line)`.
    pub fn log(&mut self, line: &str) {
        self.log.push(line.to_string());
    }
}

/// Exercise ch08.1: what Node runs after every callback.
pub fn run_ticks_and_microtasks(q: &mut Queues) {
    loop {
        while let Some(tick) = q.ticks.pop_front() {
            tick(q);
        }
        while let Some(job) = q.microtasks.pop_front() {
            job(q);
        }
        if q.ticks.is_empty() {
            break;
        }
    }
}

/// Exercise ch08.2: one check phase.
pub fn process_immediates(q: &mut Queues) {
    let batch = std::mem::take(&mut q.immediates);
    for job in batch {
        job(q);
        run_ticks_and_microtasks(q);
    }
}
