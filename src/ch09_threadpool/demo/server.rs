//! A tiny file server, the program's listening socket: a client sends a path per line and gets
//! one line back, the file's size and checksum or Node's error message. The reading happens on
//! the pool, so a slow disk holds up nobody but the client who asked.
//!
//! ```text
//! $ nc 127.0.0.1 7009
//! Cargo.toml
//! Cargo.toml: 1803 bytes, checksum 5a1c0d3f7f1b2e44
//! nope.txt
//! nope.txt: ENOENT: no such file or directory, open 'nope.txt'
//! ```

use super::StopFlag;
use super::ticking::checksum;
use crate::ch06_pollers::Interest;
use crate::ch07_phases::Handle;
use crate::ch08_ticks::Node;
use crate::sys::net::{accept, read, set_nonblocking, write};
use std::cell::RefCell;
use std::io;
use std::os::fd::{AsFd, OwnedFd};
use std::rc::Rc;

/// Longest request line accepted; a client sending more without a newline is disconnected.
const MAX_LINE: usize = 4096;

/// The server's open handles (the listener and every connection), to close them all at exit.
#[derive(Clone, Default)]
pub struct Server(Rc<RefCell<Vec<Handle>>>);

impl Server {
    /// Watches `listener` (a listening socket) on `node`.
    pub fn start(node: &mut Node, listener: OwnedFd) -> io::Result<Server> {
        set_nonblocking(listener.as_fd(), true)?;
        let server = Server::default();
        let s = server.clone();
        let handle = node.watch(listener, Interest::READABLE, move |node, me, _| {
            s.accept_all(node, me);
        })?;
        server.0.borrow_mut().push(handle);
        Ok(server)
    }

    /// Closes the listener and every connection: the server no longer keeps the loop alive.
    pub fn close(&self, node: &mut Node) {
        for handle in self.0.borrow_mut().drain(..) {
            node.close_handle(handle, |_| {});
        }
    }

    fn accept_all(&self, node: &mut Node, listener: Handle) {
        loop {
            let Some(fd) = node.io_fd(listener) else {
                return;
            };
            // EAGAIN: accepted everything; any other error (a client that gave up, EMFILE)
            // ends this round, the listener stays readable if more is waiting.
            let Ok((conn, _peer)) = accept(fd) else {
                return;
            };
            if set_nonblocking(conn.as_fd(), true).is_err() {
                continue;
            }
            let state = Rc::new(RefCell::new(Conn::default()));
            let s = self.clone();
            let watched = node.watch(conn, Interest::READABLE, move |node, me, _| {
                s.on_readable(node, me, &state);
            });
            if let Ok(handle) = watched {
                self.0.borrow_mut().push(handle);
            }
        }
    }

    fn on_readable(&self, node: &mut Node, conn: Handle, state: &Rc<RefCell<Conn>>) {
        let mut buf = [0u8; 1024];
        let n = match node.io_fd(conn).map(|fd| read(fd, &mut buf)) {
            Some(Ok(n)) => n,
            Some(Err(e)) if e.kind() == io::ErrorKind::WouldBlock => return,
            _ => 0, // error or closed: treat as end of file
        };
        if n == 0 || state.borrow().line.len() + n > MAX_LINE {
            // The client is done sending (or sent garbage). Answers still being read on the
            // pool are owed: stop reading, and close when the last one is written.
            state.borrow_mut().eof = true;
            node.io_stop(conn);
            self.close_if_done(node, conn, state);
            return;
        }
        state.borrow_mut().line.extend_from_slice(&buf[..n]);
        loop {
            let newline = state.borrow().line.iter().position(|&b| b == b'\n');
            let Some(end) = newline else { break };
            let line: Vec<u8> = state.borrow_mut().line.drain(..=end).collect();
            let path = String::from_utf8_lossy(&line).trim().to_string();
            if !path.is_empty() {
                state.borrow_mut().owed += 1;
                self.answer(node, conn, state.clone(), path);
            }
        }
    }

    /// Closes a connection whose client has finished sending once nothing is owed to it.
    fn close_if_done(&self, node: &mut Node, conn: Handle, state: &Rc<RefCell<Conn>>) {
        let done = {
            let s = state.borrow();
            s.eof && s.owed == 0
        };
        if done {
            self.0.borrow_mut().retain(|&h| h != conn);
            node.close_handle(conn, |_| {});
        }
    }

    /// Reads `path` on the pool and writes one line back to `conn`, if it is still open.
    fn answer(&self, node: &mut Node, conn: Handle, state: Rc<RefCell<Conn>>, path: String) {
        let server = self.clone();
        let p = path.clone();
        let owed = state.clone();
        let queued = node.read_file(p, move |node, result| {
            let line = match result {
                Ok(data) => {
                    let sum = checksum(&data, 1, &StopFlag::default()).unwrap_or(0);
                    format!("{path}: {} bytes, checksum {sum:016x}\n", data.len())
                }
                Err(e) => format!("{path}: {e}\n"),
            };
            if let Some(fd) = node.io_fd(conn) {
                // One short line into an almost empty socket buffer; if even that would block,
                // the client is not reading and loses the answer.
                let _ = write(fd, line.as_bytes());
            }
            state.borrow_mut().owed -= 1;
            server.close_if_done(node, conn, &state);
        });
        if let Err(e) = queued {
            if let Some(fd) = node.io_fd(conn) {
                let _ = write(fd, format!("{e}\n").as_bytes());
            }
            owed.borrow_mut().owed -= 1;
        }
    }
}

/// One connection's state between callbacks.
#[derive(Default)]
struct Conn {
    /// Bytes of a request line not ended yet.
    line: Vec<u8>,
    /// Answers being read on the pool, not written yet.
    owed: usize,
    /// The client has finished sending.
    eof: bool,
}
