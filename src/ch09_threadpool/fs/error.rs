//! The errors of the `fs` and `dns` layer, shaped like Node's: a code (`ENOENT`), the system
//! call that failed, the path, and Node's message (`ENOENT: no such file or directory, open
//! 'missing.txt'`), so a JavaScript runtime can build its `Error` object from it.

use std::fmt;
use std::io;
use std::path::PathBuf;

/// A failed file system call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FsError {
    /// The `errno` value.
    pub errno: i32,
    /// The system call that failed, as Node names it: `open`, `read`, `write`, `close`,
    /// `stat`, `unlink`.
    pub syscall: &'static str,
    /// The path it was called with, if it took one.
    pub path: Option<PathBuf>,
}

impl FsError {
    pub(crate) fn new(errno: i32, syscall: &'static str, path: Option<&PathBuf>) -> FsError {
        FsError {
            errno,
            syscall,
            path: path.cloned(),
        }
    }

    /// Node's `err.code`: `ENOENT`, `EACCES`, ... (`"E<number>"` for an errno the table does not
    /// name).
    pub fn code(&self) -> String {
        errno_name(self.errno).map_or_else(|| format!("E{}", self.errno), str::to_string)
    }
}

impl fmt::Display for FsError {
    /// Node's message: `ENOENT: no such file or directory, open 'missing.txt'`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let description = errno_description(self.errno).map_or_else(
            || io::Error::from_raw_os_error(self.errno).to_string(),
            str::to_string,
        );
        write!(f, "{}: {description}, {}", self.code(), self.syscall)?;
        if let Some(path) = &self.path {
            write!(f, " '{}'", path.display())?;
        }
        Ok(())
    }
}

impl std::error::Error for FsError {}

impl From<FsError> for io::Error {
    fn from(e: FsError) -> io::Error {
        io::Error::new(io::Error::from_raw_os_error(e.errno).kind(), e)
    }
}

/// A failed name lookup (`getaddrinfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsError {
    /// Node's `err.code`: `ENOTFOUND` when the name does not exist (`EAI_NONAME`, `EAI_NODATA`),
    /// otherwise the resolver's code (`EAI_AGAIN`, `EAI_FAIL`, ...).
    pub code: &'static str,
    /// The host that was looked up.
    pub hostname: String,
}

impl fmt::Display for DnsError {
    /// Node's message: `getaddrinfo ENOTFOUND nonexistent.invalid`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "getaddrinfo {} {}", self.code, self.hostname)
    }
}

impl std::error::Error for DnsError {}

impl From<DnsError> for io::Error {
    fn from(e: DnsError) -> io::Error {
        let kind = if e.code == "ENOTFOUND" {
            io::ErrorKind::NotFound
        } else {
            io::ErrorKind::Other
        };
        io::Error::new(kind, e)
    }
}

/// The names and libuv's descriptions (`uv_strerror`) of the errnos a file call commonly
/// returns.
const ERRNOS: &[(i32, &str, &str)] = &[
    (libc::ENOENT, "ENOENT", "no such file or directory"),
    (libc::EACCES, "EACCES", "permission denied"),
    (libc::EPERM, "EPERM", "operation not permitted"),
    (libc::EISDIR, "EISDIR", "illegal operation on a directory"),
    (libc::ENOTDIR, "ENOTDIR", "not a directory"),
    (libc::EEXIST, "EEXIST", "file already exists"),
    (libc::EMFILE, "EMFILE", "too many open files"),
    (libc::ENFILE, "ENFILE", "file table overflow"),
    (libc::ENOSPC, "ENOSPC", "no space left on device"),
    (libc::EROFS, "EROFS", "read-only file system"),
    (libc::ENAMETOOLONG, "ENAMETOOLONG", "name too long"),
    (libc::ELOOP, "ELOOP", "too many symbolic links encountered"),
    (libc::EBADF, "EBADF", "bad file descriptor"),
    (libc::EINVAL, "EINVAL", "invalid argument"),
    (libc::EIO, "EIO", "i/o error"),
    (libc::EFBIG, "EFBIG", "file too large"),
    (libc::ECANCELED, "ECANCELED", "operation canceled"),
    (libc::EBUSY, "EBUSY", "resource busy or locked"),
];

/// `ENOENT` for `libc::ENOENT`, and so on, for the errnos in the table.
pub fn errno_name(errno: i32) -> Option<&'static str> {
    ERRNOS.iter().find(|e| e.0 == errno).map(|e| e.1)
}

fn errno_description(errno: i32) -> Option<&'static str> {
    ERRNOS.iter().find(|e| e.0 == errno).map(|e| e.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_read_like_nodes() {
        let e = FsError::new(libc::ENOENT, "open", Some(&PathBuf::from("missing.txt")));
        assert_eq!(e.code(), "ENOENT");
        assert_eq!(
            e.to_string(),
            "ENOENT: no such file or directory, open 'missing.txt'"
        );
        let io: io::Error = e.into();
        assert_eq!(io.kind(), io::ErrorKind::NotFound);
        let d = DnsError {
            code: "ENOTFOUND",
            hostname: "nonexistent.invalid".into(),
        };
        assert_eq!(d.to_string(), "getaddrinfo ENOTFOUND nonexistent.invalid");
    }
}
