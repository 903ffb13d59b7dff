//! `GET /delay?ms=N`: a timer per delayed response, and what happens when it fires (the response,
//! then the requests pipelined behind it).

use super::conn::ConnId;
use super::conn_io::{keep_unused, note};
use super::pipeline::{Output, finish_delay, serve};
use super::send::send;
use super::settle::{After, settle};
use super::worker::{Worker, WorkerLoop};
use std::time::Duration;

/// Starts the timer of a `/delay` response.
pub fn start_delay(lp: &mut WorkerLoop, id: ConnId, delay: Duration) {
    let timer = lp.timer_init();
    lp.timer_start(timer, delay, Duration::ZERO, move |lp, _| {
        on_delay_done(lp, id)
    });
    match lp.data().conns.get_mut(id) {
        Some(conn) => conn.delay_timer = Some(timer),
        None => {
            lp.close(timer, |_, _| {});
        }
    }
}

/// A `/delay` timer fired: answer it, then the requests that were pipelined behind it.
fn on_delay_done(lp: &mut WorkerLoop, id: ConnId) {
    let now = lp.now();
    let Some(conn) = lp.data().conns.get_mut(id) else {
        return;
    };
    let (io, timer) = (conn.io, conn.delay_timer.take());
    if let Some(timer) = timer {
        lp.close(timer, |_, _| {});
    }
    let Some((fd, worker)) = lp.io_fd_with_data(io) else {
        return;
    };
    let Worker {
        conns,
        out,
        ends,
        date,
        config,
        draining,
        stats,
        ..
    } = worker;
    let mut after = After::default();
    let Some(conn) = conns.get_mut(id) else {
        return;
    };
    let date = *date.get(now);
    let mut output = Output {
        buf: out,
        ends,
        date: &date,
        limits: &config.limits,
        draining: *draining,
    };
    stats.requests += 1;
    conn.deadlines.touch(now);
    if !finish_delay(&mut conn.requests, &mut output) {
        conn.closing = true;
    } else if !conn.input.is_empty() {
        let served = serve(&mut conn.requests, &conn.input, &mut output);
        keep_unused(&mut conn.input, served);
        stats.requests += u64::from(served.completed);
        note(conn, served, now, &config.limits, &mut after);
    }
    after.failed = send(fd, conn, output.buf, output.ends, config.tuning).is_err();
    settle(lp, id, after);
}
