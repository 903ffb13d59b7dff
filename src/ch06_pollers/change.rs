//! From "what I watch now" to "what I want to watch": the one decision every loop makes when a
//! handle's interest changes.
//!
//! epoll has three operations (`EPOLL_CTL_ADD`, `_MOD`, `_DEL`) and refuses the wrong one
//! (`EEXIST`, `ENOENT`), so the loop must know which applies. The same table drives every
//! backend through [`Poller`]'s `register`, `reregister` and `deregister`.

use super::{Interest, Poller, Token};
use std::io;
use std::os::fd::BorrowedFd;

/// The operation that turns one interest into another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CtlOp {
    /// Start watching (`EPOLL_CTL_ADD`, [`Poller::register`]).
    Add(Interest),
    /// Watch for something else (`EPOLL_CTL_MOD`, [`Poller::reregister`]).
    Modify(Interest),
    /// Stop watching (`EPOLL_CTL_DEL`, [`Poller::deregister`]).
    Delete,
    /// Nothing changes: no system call at all.
    Nothing,
}

// ANCHOR: ctl_op
/// The operation that takes an fd from `old` to `new` interest. `None`, and an interest with
/// neither `readable` nor `writable`, both mean "not watched": the fd is then not in the
/// poller at all, so it cannot wake the loop (with epoll, a registered fd with no interest still
/// reports `EPOLLHUP` and `EPOLLERR`).
pub fn ctl_op(old: Option<Interest>, new: Option<Interest>) -> CtlOp {
    let watched = |i: Option<Interest>| i.filter(|i| i.readable || i.writable);
    match (watched(old), watched(new)) {
        (None, None) => CtlOp::Nothing,
        (None, Some(new)) => CtlOp::Add(new),
        (Some(_), None) => CtlOp::Delete,
        (Some(old), Some(new)) if old == new => CtlOp::Nothing,
        (Some(_), Some(new)) => CtlOp::Modify(new),
    }
}
// ANCHOR_END: ctl_op

/// Carries out [`ctl_op`] on any poller.
pub fn apply<P: Poller>(
    poller: &mut P,
    fd: BorrowedFd<'_>,
    token: Token,
    old: Option<Interest>,
    new: Option<Interest>,
) -> io::Result<()> {
    match ctl_op(old, new) {
        CtlOp::Add(interest) => poller.register(fd, token, interest),
        CtlOp::Modify(interest) => poller.reregister(fd, token, interest),
        CtlOp::Delete => poller.deregister(fd),
        CtlOp::Nothing => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Interest = Interest {
        readable: false,
        writable: false,
    };

    #[test]
    fn the_whole_table() {
        use CtlOp::*;
        let (r, w, b) = (Interest::READABLE, Interest::WRITABLE, Interest::BOTH);
        assert_eq!(ctl_op(None, None), Nothing);
        assert_eq!(ctl_op(None, Some(r)), Add(r));
        assert_eq!(ctl_op(Some(r), None), Delete);
        assert_eq!(ctl_op(Some(r), Some(r)), Nothing);
        assert_eq!(ctl_op(Some(r), Some(b)), Modify(b));
        assert_eq!(ctl_op(Some(b), Some(w)), Modify(w));
        assert_eq!(ctl_op(Some(r), Some(NONE)), Delete);
        assert_eq!(ctl_op(Some(NONE), Some(w)), Add(w));
        assert_eq!(ctl_op(None, Some(NONE)), Nothing);
    }
}
