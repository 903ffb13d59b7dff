//! Chapter 2: non-blocking sockets and the busy loop.
//!
//! Chapter 1's server blocks in `accept` or `read`, so one thread can wait for only one thing at a
//! time. Here every socket is put in `O_NONBLOCK` mode: a call that would wait fails at once with
//! `EAGAIN` instead, which means "nothing now". One thread can then go round all its sockets,
//! trying each in turn, and serve every client at once. The price: when nothing happens, it goes
//! round anyway, as fast as it can, burning a whole core. [`cpu`] measures that.
//!
//! * [`io`]: one non-blocking read (data, nothing now, or end of file) and flushing a
//!   pending-output buffer after a short write.
//! * [`client`]: what the server remembers about one connection.
//! * [`server`]: the loop: accept, then read and write each client in turn.
//! * [`cpu`]: the process's CPU time from `getrusage(2)`.

pub mod client;
pub mod cpu;
pub mod io;
pub mod server;
