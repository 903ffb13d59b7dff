//! The process's own CPU time, from `getrusage(2)`: how hard the busy loop works while idle.

use crate::sys::ok_or_errno;
use std::fmt;
use std::io;
use std::time::Duration;

/// CPU time the kernel has charged to this process so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CpuTime {
    /// Time spent running our own code (the loop, in user mode).
    pub user: Duration,
    /// Time the kernel spent working for us (our system calls).
    pub system: Duration,
}

// ANCHOR: cpu_time
/// Reads `getrusage(RUSAGE_SELF)`: user and system CPU time of every thread of this process.
pub fn cpu_time() -> io::Result<CpuTime> {
    // SAFETY: all-zero is a valid `rusage`; the kernel overwrites it.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: `usage` is valid and writable for the duration of the call.
    ok_or_errno(unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) })?;
    let time = |tv: libc::timeval| {
        Duration::from_secs(tv.tv_sec as u64) + Duration::from_micros(tv.tv_usec as u64)
    };
    Ok(CpuTime {
        user: time(usage.ru_utime),
        system: time(usage.ru_stime),
    })
}
// ANCHOR_END: cpu_time

impl CpuTime {
    /// The CPU time used between `earlier` and `self`.
    pub fn since(self, earlier: CpuTime) -> CpuTime {
        CpuTime {
            user: self.user.saturating_sub(earlier.user),
            system: self.system.saturating_sub(earlier.system),
        }
    }
}

/// CPU time used over a stretch of wall-clock time, printed as
/// `cpu: 0.98 s user + 0.01 s sys over 1.00 s wall (99%)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuReport {
    /// CPU time used during the stretch.
    pub cpu: CpuTime,
    /// How long the stretch was.
    pub wall: Duration,
}

impl CpuReport {
    /// CPU time as a percentage of wall time: 100% is one core kept busy the whole time.
    pub fn percent(&self) -> f64 {
        let busy = (self.cpu.user + self.cpu.system).as_secs_f64();
        let wall = self.wall.as_secs_f64();
        if wall > 0.0 { 100.0 * busy / wall } else { 0.0 }
    }
}

impl fmt::Display for CpuReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "cpu: {:.2} s user + {:.2} s sys over {:.2} s wall ({:.0}%)",
            self.cpu.user.as_secs_f64(),
            self.cpu.system.as_secs_f64(),
            self.wall.as_secs_f64(),
            self.percent()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_grows_while_we_compute() {
        let before = cpu_time().unwrap();
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(50) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let used = cpu_time().unwrap().since(before);
        assert!(used.user + used.system > Duration::ZERO);
    }

    #[test]
    fn report_prints_seconds_and_percent() {
        let report = CpuReport {
            cpu: CpuTime {
                user: Duration::from_millis(980),
                system: Duration::from_millis(10),
            },
            wall: Duration::from_secs(1),
        };
        assert_eq!(
            report.to_string(),
            "cpu: 0.98 s user + 0.01 s sys over 1.00 s wall (99%)"
        );
    }
}
