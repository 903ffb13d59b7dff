//! Chapter 10: the fastest server we can build. HTTP/1.1 on chapter 7's loop, one loop per core.
//!
//! The parsing of a request head is `httparse`'s; everything around it is built here:
//!
//! * [`config`]: limits, timeouts, watermarks, and the optimisations `--without` turns off;
//! * [`request`], [`routes`], [`chunked`], [`response`], [`date`]: HTTP/1.1 as an origin server
//!   speaks it (framing, persistence, the `Date` header cached per second);
//! * [`pipeline`]: every complete request in the bytes read, answered in order into one batch;
//! * [`write_queue`]: a connection's output queue and the watermarks of backpressure;
//! * [`timeouts`]: the idle and header timeouts, on one lazily re-armed timer per connection;
//! * [`conn`]: a connection's state; [`conn_io`] (reading), [`send`] (writing), [`settle`]
//!   (what the poller watches, closing), [`conn_timer`] and [`delay`]: the callbacks of its
//!   handles;
//! * [`accept`], [`exclusive`]: accepting, what an `accept` error means, `EPOLLEXCLUSIVE`;
//! * [`worker`], [`shutdown`], [`supervisor`], [`server`]: one loop per thread with
//!   `SO_REUSEPORT`, stopped by Ctrl-C through chapter 9's signal and async handles.

pub mod accept;
pub mod chunked;
pub mod config;
pub mod conn;
pub mod conn_io;
pub mod conn_timer;
pub mod date;
pub mod delay;
pub mod exclusive;
pub mod pipeline;
pub mod request;
pub mod response;
pub mod routes;
pub mod send;
pub mod server;
pub mod settle;
pub mod shutdown;
pub mod supervisor;
pub mod timeouts;
pub mod worker;
pub mod write_queue;

pub use config::{Config, Limits, Optimisation, Tuning, Watermarks};
pub use server::{ListenerMode, ServerOptions, run};
pub use worker::WorkerStats;
