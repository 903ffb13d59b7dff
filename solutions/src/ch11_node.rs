//! Chapter 11 exercises, solved.

use eventloops_node::{MicrotaskQueues, Program, SocketReader, Thrown};
use std::io;

/// Exercise ch11.1: the drain that runs after every callback (Node's
/// `processTicksAndRejections`).
pub fn drain(q: &mut dyn MicrotaskQueues) {
    loop {
        if q.tick_scheduled() && q.run_ticks().is_err() {
            return;
        }
        while q.run_job() {
            if q.exiting() {
                return;
            }
        }
        let mut ran = false;
        if q.rejection_to_warn() {
            match q.process_rejections() {
                Ok(r) => ran = r,
                Err(Thrown) => return,
            }
        }
        if q.exiting() || (!q.tick_scheduled() && !ran) {
            return;
        }
    }
}

/// Exercise ch11.2: the end of a program, after its main module (Node's `SpinEventLoop`).
pub fn run_to_the_end(program: &mut dyn Program) -> io::Result<i32> {
    loop {
        if let Some(code) = program.exit_requested() {
            return Ok(code);
        }
        program.run_loop()?;
        if let Some(code) = program.exit_requested() {
            return Ok(code);
        }
        program.emit_before_exit();
        if let Some(code) = program.exit_requested() {
            return Ok(code);
        }
        if !program.alive() {
            break;
        }
    }
    let code = program.emit_exit();
    Ok(program.exit_requested().unwrap_or(code))
}

/// Exercise ch11.3: one readable event on a socket (libuv's `uv__read`).
pub fn read_some(socket: &mut dyn SocketReader) {
    let mut buf = [0u8; 64 * 1024];
    for _ in 0..32 {
        if !socket.reading() {
            return;
        }
        match socket.read(&mut buf) {
            Ok(0) => {
                socket.end_of_file();
                return;
            }
            Ok(n) => {
                socket.data(&buf[..n]);
                if n < buf.len() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                socket.error(e);
                return;
            }
        }
    }
}
