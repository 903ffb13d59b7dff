//! Chapter 4: from a select loop to an event loop, with callbacks.
//!
//! Chapter 3's server knew every kind of fd it watched and what to do with each. An event loop
//! does not: it keeps a table of registrations — an fd, what to wait for, and a callback — and
//! its only job is to wait ([`crate::ch03_select::select()`]) and call back whoever is ready.
//! [`Loop::on`] registers, [`Token`] names a registration, [`Loop::turn`] waits once and
//! dispatches. [`chat`] is chapter 3's chat server rewritten on it.

pub mod chat;
pub mod registry;
pub mod token;

pub use registry::{Callback, Loop};
pub use token::{Event, Interest, Token};
