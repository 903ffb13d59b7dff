//! How many threads a pool gets: 4 unless the environment says otherwise, as libuv reads
//! `UV_THREADPOOL_SIZE`. Unlike libuv, which quietly turns 0 into 1 and 5000 into 1024, a size
//! that makes no sense is an error that says what is wrong: a silent fix hides a typo.

use std::io;
use std::num::NonZeroUsize;

/// The environment variable that sets the pool's size (libuv's is `UV_THREADPOOL_SIZE`).
pub const POOL_SIZE_VAR: &str = "EVENTLOOPS_THREADPOOL_SIZE";

/// A valid pool size: at least 1, at most [`PoolSize::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolSize(NonZeroUsize);

impl PoolSize {
    /// libuv's default, and ours: 4 threads.
    pub const DEFAULT: PoolSize = PoolSize(NonZeroUsize::new(4).unwrap());

    /// The most threads a pool may have (libuv's `MAX_THREADPOOL_SIZE`). Past a few times the
    /// number of cores, more threads only help work that sleeps (slow disks, DNS).
    pub const MAX: usize = 1024;

    /// `threads`, if it is between 1 and [`MAX`](Self::MAX).
    pub fn new(threads: usize) -> io::Result<PoolSize> {
        match NonZeroUsize::new(threads) {
            None => Err(invalid(
                "0 threads: a pool needs at least 1 thread".to_string(),
            )),
            Some(_) if threads > Self::MAX => Err(invalid(format!(
                "{threads} threads: the most a pool may have is {}",
                Self::MAX
            ))),
            Some(n) => Ok(PoolSize(n)),
        }
    }

    /// Parses a size as a person types it (`" 8 "` is 8).
    pub fn parse(text: &str) -> io::Result<PoolSize> {
        match text.trim().parse::<usize>() {
            Ok(n) => Self::new(n),
            Err(_) => Err(invalid(format!("{text:?} is not a number of threads"))),
        }
    }

    /// [`POOL_SIZE_VAR`] if it is set, [`DEFAULT`](Self::DEFAULT) otherwise. An invalid value is
    /// an error naming the variable.
    pub fn from_env() -> io::Result<PoolSize> {
        match std::env::var(POOL_SIZE_VAR) {
            Err(std::env::VarError::NotPresent) => Ok(Self::DEFAULT),
            Err(std::env::VarError::NotUnicode(_)) => {
                Err(invalid(format!("{POOL_SIZE_VAR} is not valid UTF-8")))
            }
            Ok(value) => {
                Self::parse(&value).map_err(|e| invalid(format!("{POOL_SIZE_VAR}={value}: {e}")))
            }
        }
    }

    /// The number of threads.
    pub fn get(self) -> usize {
        self.0.get()
    }
}

fn invalid(message: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_from_1_to_the_maximum_are_accepted() {
        assert_eq!(PoolSize::parse("1").unwrap().get(), 1);
        assert_eq!(PoolSize::parse(" 16\n").unwrap().get(), 16);
        assert_eq!(PoolSize::new(1024).unwrap().get(), 1024);
        assert_eq!(PoolSize::DEFAULT.get(), 4);
    }

    #[test]
    fn zero_huge_and_garbage_get_errors_that_say_why() {
        let zero = PoolSize::parse("0").unwrap_err();
        assert_eq!(zero.kind(), io::ErrorKind::InvalidInput);
        assert!(zero.to_string().contains("at least 1"), "{zero}");
        let huge = PoolSize::parse("5000").unwrap_err();
        assert!(
            huge.to_string().contains("at most") || huge.to_string().contains("most a pool"),
            "{huge}"
        );
        for garbage in ["", "-1", "four", "1e3", "99999999999999999999999"] {
            let e = PoolSize::parse(garbage).unwrap_err();
            assert_eq!(e.kind(), io::ErrorKind::InvalidInput, "{garbage:?}");
        }
    }
}
