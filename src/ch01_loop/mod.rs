//! Chapter 1: a loop and a blocking socket.
//!
//! The simplest server there is: `accept` a connection, echo it until the client hangs up, go
//! back to `accept`. Every call blocks, so while one client is connected the next one waits in the
//! kernel's accept queue. [`server::Mode::ThreadPerClient`] fixes that the classic way, one thread
//! per connection, and chapter 1 measures what those threads cost.
//!
//! * [`echo`]: the work done for one connection, the same in both modes.
//! * [`server`]: the accept loop, one client at a time or one thread per client.

pub mod echo;
pub mod server;
