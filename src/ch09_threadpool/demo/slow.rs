//! `UV_THREADPOOL_SIZE`, shown: `size + 1` slow tasks on a pool of `size` threads. The first
//! `size` start at once; the last waits in the queue until one of them is done.

use super::{StopFlag, stamp, thread_name};
use crate::ch08_ticks::Node;
use std::cell::Cell;
use std::io;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// Queues `tasks` tasks that each take `each` (sleeping, as a slow disk would), and runs `done`
/// when the last has finished.
pub fn start(
    node: &mut Node,
    tasks: usize,
    each: Duration,
    stop: StopFlag,
    done: impl FnOnce(&mut Node) + 'static,
) -> io::Result<()> {
    let t0 = Instant::now();
    let left = Rc::new(Cell::new(tasks));
    let done = Rc::new(Cell::new(
        Some(Box::new(done) as Box<dyn FnOnce(&mut Node)>),
    ));
    println!(
        "{}  queue_work: {tasks} tasks of {} ms each, pool of {} threads",
        stamp(t0),
        each.as_millis(),
        node.threadpool_size().unwrap_or(0)
    );
    for task in 1..=tasks {
        let stop = stop.clone();
        let (left, done) = (left.clone(), done.clone());
        node.queue_work(
            move || {
                let started = t0.elapsed();
                let finished = stop.sleep(each);
                (started, thread_name(), finished)
            },
            move |node, result| {
                if let Ok((started, thread, finished)) = result {
                    let waited = if started >= each / 2 {
                        "  <- waited for a free thread"
                    } else {
                        ""
                    };
                    let how = if finished { "done" } else { "stopped" };
                    println!(
                        "{}  task {task} {how}: started at {:>6.1} ms on {thread}{waited}",
                        stamp(t0),
                        started.as_secs_f64() * 1000.0
                    );
                }
                left.set(left.get() - 1);
                if left.get() == 0
                    && let Some(done) = done.take()
                {
                    done(node);
                }
            },
        )?;
    }
    Ok(())
}
