//! Stand-ins for the backends this OS does not have: epoll off Linux, kqueue off macOS and the
//! BSDs. Each is a type with the backend's name whose [`Poller::new`] fails with a clear error,
//! so code generic over [`Poller`] (the chapter's `--backend` flag, the tests) names every
//! backend without a `cfg` in its body.

use super::{Event, Interest, Poller, Token};
use std::convert::Infallible;
use std::io;
use std::os::fd::BorrowedFd;

macro_rules! unavailable_backend {
    ($ty:ident, $name:literal, $message:literal) => {
        #[doc = concat!("`", $name, "` is not available on this OS: [`Poller::new`] fails with ")]
        #[doc = concat!("\"", $message, "\".")]
        #[derive(Debug)]
        pub struct $ty {
            /// Cannot be made: no value of this type exists.
            never: Infallible,
        }

        impl Poller for $ty {
            const NAME: &'static str = $name;

            fn new() -> io::Result<Self> {
                Err(io::Error::new(io::ErrorKind::Unsupported, $message))
            }

            fn register(&mut self, _: BorrowedFd<'_>, _: Token, _: Interest) -> io::Result<()> {
                match self.never {}
            }

            fn reregister(&mut self, _: BorrowedFd<'_>, _: Token, _: Interest) -> io::Result<()> {
                match self.never {}
            }

            fn deregister(&mut self, _: BorrowedFd<'_>) -> io::Result<()> {
                match self.never {}
            }

            fn wait(&mut self, _: &mut Vec<Event>, _: usize, _: i32) -> io::Result<usize> {
                match self.never {}
            }
        }
    };
}

#[cfg(not(any(target_os = "linux", target_os = "android")))]
unavailable_backend!(
    Epoll,
    "epoll",
    "epoll exists only on Linux; use --backend kqueue (or poll) here"
);

#[cfg(not(any(
    target_os = "macos",
    target_os = "ios",
    target_os = "freebsd",
    target_os = "openbsd",
    target_os = "netbsd",
    target_os = "dragonfly"
)))]
unavailable_backend!(
    Kqueue,
    "kqueue",
    "kqueue exists only on macOS and the BSDs; on Linux use --backend epoll"
);
