//! A timer ticks every 100 ms while the pool writes a large file, reads it back and computes its
//! checksum: the loop never stops ticking. With `on_loop`, the same read and checksum run on the
//! loop thread instead, and the ticks stop while they run.

use super::{StopFlag, stamp, thread_name};
use crate::ch08_ticks::{Node, Timeout};
use std::cell::{Cell, RefCell};
use std::io;
use std::path::PathBuf;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// The demo's settings.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The file to create, read and delete.
    pub path: PathBuf,
    /// Its size in MiB.
    pub mib: usize,
    /// How often the checksum goes over the data (more rounds, more computing).
    pub rounds: u32,
    /// Do the reading and computing on the loop thread instead of the pool.
    pub on_loop: bool,
}

/// The checksum: FNV-1a over the data, `rounds` times, checking `stop` between rounds. The
/// point is only to keep a CPU busy for a while.
pub fn checksum(data: &[u8], rounds: u32, stop: &StopFlag) -> Option<u64> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for _ in 0..rounds {
        for chunk in data.chunks(1 << 20) {
            if stop.raised() {
                return None;
            }
            for &b in chunk {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
    }
    Some(hash)
}

/// `mib` MiB of bytes that are not all alike, made quickly (one MiB computed, then copied).
fn test_data(mib: usize) -> Vec<u8> {
    let block: Vec<u8> = (0..1 << 20).map(|i| (i % 251) as u8).collect();
    let mut data = Vec::with_capacity(mib << 20);
    for _ in 0..mib {
        data.extend_from_slice(&block);
    }
    data
}

/// What the ticker saw.
#[derive(Default)]
struct Ticks {
    count: u32,
    last: Option<Instant>,
    longest_gap: Duration,
}

/// Starts the demo from the main script; `done` runs when it has finished (or failed).
pub fn start(
    node: &mut Node,
    plan: Plan,
    stop: StopFlag,
    done: impl FnOnce(&mut Node) + 'static,
) -> io::Result<()> {
    let t0 = Instant::now();
    let ticks = Rc::new(RefCell::new(Ticks::default()));
    let t = ticks.clone();
    let interval: Timeout = node.set_interval(100, move |_| {
        let mut t = t.borrow_mut();
        let now = Instant::now();
        t.count += 1;
        if let Some(last) = t.last {
            t.longest_gap = t.longest_gap.max(now - last);
        }
        t.last = Some(now);
        println!("{}  tick {}", stamp(t0), t.count);
    });
    let finish = Rc::new(Cell::new(
        Some(Box::new(done) as Box<dyn FnOnce(&mut Node)>),
    ));
    // When the work is done: say so, let the timer tick twice more (so that a gap the work
    // caused shows), then stop it and report.
    let end = move |node: &mut Node, what: String| {
        println!("{}  {what}", stamp(t0));
        node.set_timeout(250, move |node| {
            node.clear_timeout(interval);
            let t = ticks.borrow();
            println!(
                "{} ticks; the longest gap between two ticks was {:.1} ms",
                t.count,
                t.longest_gap.as_secs_f64() * 1000.0
            );
            if let Some(done) = finish.take() {
                done(node);
            }
        });
    };
    let data = test_data(plan.mib);
    println!(
        "{}  write_file: {} MiB to {} (on the pool)",
        stamp(t0),
        plan.mib,
        plan.path.display()
    );
    let path = plan.path.clone();
    node.write_file(path.clone(), data, move |node, written| {
        if let Err(e) = written {
            return end(node, format!("write_file failed: {e}"));
        }
        println!("{}  write_file done", stamp(t0));
        // Let the timer tick a couple of times first, then do the heavy part.
        node.set_timeout(250, move |node| {
            if plan.on_loop {
                read_and_sum_on_the_loop(node, &plan, &stop, t0, end);
            } else {
                read_and_sum_on_the_pool(node, plan, stop, t0, end);
            }
        });
    })
}

// ANCHOR: on_pool
fn read_and_sum_on_the_pool(
    node: &mut Node,
    plan: Plan,
    stop: StopFlag,
    t0: Instant,
    end: impl FnOnce(&mut Node, String) + 'static,
) {
    println!("{}  read_file (on the pool)", stamp(t0));
    let path = plan.path.clone();
    let queued = node.read_file(path.clone(), move |node, read| {
        let data = match read {
            Ok(data) => data,
            Err(e) => return end(node, format!("read_file failed: {e}")),
        };
        println!(
            "{}  read_file done: {} bytes; checksum (on the pool)",
            stamp(t0),
            data.len()
        );
        let rounds = plan.rounds;
        let queued = node.queue_work(
            move || (checksum(&data, rounds, &stop), thread_name()),
            move |node, result| {
                let what = match result {
                    Ok((Some(sum), thread)) => format!("checksum {sum:016x}, computed on {thread}"),
                    Ok((None, _)) => "checksum stopped by Ctrl-C".to_string(),
                    Err(e) => format!("checksum failed: {e}"),
                };
                let _ = node.unlink(path, |_, _| {});
                end(node, what);
            },
        );
        if let Err(e) = queued {
            println!("queue_work failed: {e}");
        }
    });
    if let Err(e) = queued {
        println!("read_file failed: {e}");
    }
}
// ANCHOR_END: on_pool

/// The same work with no pool: a blocking read and the checksum right in a callback. Nothing
/// else runs until they are done, the ticks included.
fn read_and_sum_on_the_loop(
    node: &mut Node,
    plan: &Plan,
    stop: &StopFlag,
    t0: Instant,
    end: impl FnOnce(&mut Node, String) + 'static,
) {
    println!(
        "{}  read and checksum ON THE LOOP THREAD (blocking)",
        stamp(t0)
    );
    let what = match std::fs::read(&plan.path) {
        Ok(data) => match checksum(&data, plan.rounds, stop) {
            Some(sum) => format!("checksum {sum:016x}, computed on {}", thread_name()),
            None => "checksum stopped by Ctrl-C".to_string(),
        },
        Err(e) => format!("read failed: {e}"),
    };
    let _ = node.unlink(plan.path.clone(), |_, _| {});
    end(node, what);
}
