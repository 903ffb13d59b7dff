//! The blocking system calls behind the `fs` layer. They run on pool threads, never on the loop
//! thread: each may wait for a disk (or a network file system) for as long as it takes.
//!
//! Every one retries `EINTR` (a signal landing on the worker is harmless; the pool blocks
//! signals in its workers anyway) and reports failure as an [`FsError`] naming the call.

use super::error::FsError;
use crate::sys::ok_or_errno;
use std::ffi::CString;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, IntoRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

// `mode_t` is a u32 on Linux and a u16 on macOS: the file type bits, as u32 everywhere.
#[allow(clippy::unnecessary_cast)]
const IFMT: u32 = libc::S_IFMT as u32;
#[allow(clippy::unnecessary_cast)]
const IFREG: u32 = libc::S_IFREG as u32;
#[allow(clippy::unnecessary_cast)]
const IFDIR: u32 = libc::S_IFDIR as u32;

/// What `stat(2)` says about a file: the fields Node's `fs.Stats` is made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStat {
    /// The device the file is on.
    pub dev: u64,
    /// The inode number.
    pub ino: u64,
    /// Type and permission bits (`S_IFREG | 0o644`, ...).
    pub mode: u32,
    /// Hard links.
    pub nlink: u64,
    /// Owner.
    pub uid: u32,
    /// Group.
    pub gid: u32,
    /// Size in bytes.
    pub size: u64,
    /// Last access.
    pub atime: SystemTime,
    /// Last change of the contents.
    pub mtime: SystemTime,
    /// Last change of the inode.
    pub ctime: SystemTime,
}

impl FileStat {
    /// A regular file (`stats.isFile()`).
    pub fn is_file(&self) -> bool {
        self.mode & IFMT == IFREG
    }

    /// A directory (`stats.isDirectory()`).
    pub fn is_dir(&self) -> bool {
        self.mode & IFMT == IFDIR
    }

    // The field types of `struct stat` differ per OS (u16 or u32 modes, i32 or u64 devices), so
    // conversions that are identities on one OS are needed on another.
    #[allow(clippy::unnecessary_cast, clippy::useless_conversion)]
    fn from_raw(st: &libc::stat) -> FileStat {
        let time = |secs: i64, nanos: i64| {
            let since = Duration::new(secs.unsigned_abs(), nanos.clamp(0, 999_999_999) as u32);
            if secs >= 0 {
                SystemTime::UNIX_EPOCH + since
            } else {
                SystemTime::UNIX_EPOCH - since
            }
        };
        FileStat {
            dev: st.st_dev as u64,
            ino: st.st_ino as u64,
            mode: st.st_mode as u32,
            nlink: st.st_nlink as u64,
            uid: st.st_uid as u32,
            gid: st.st_gid as u32,
            size: st.st_size.max(0) as u64,
            atime: time(st.st_atime as i64, st.st_atime_nsec as i64),
            mtime: time(st.st_mtime as i64, st.st_mtime_nsec as i64),
            ctime: time(st.st_ctime as i64, st.st_ctime_nsec as i64),
        }
    }
}

/// Repeats `call` while it fails with `EINTR`; `Err` carries the errno.
fn retry<T: crate::sys::SyscallReturn>(mut call: impl FnMut() -> T) -> Result<T, i32> {
    loop {
        match ok_or_errno(call()) {
            Ok(v) => return Ok(v),
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => continue,
            Err(e) => return Err(e.raw_os_error().unwrap_or(libc::EIO)),
        }
    }
}

/// The path as a C string; a path with a NUL byte in it cannot name a file: `EINVAL`.
fn c_path(path: &Path, syscall: &'static str) -> Result<CString, FsError> {
    CString::new(path.as_os_str().as_bytes())
        .map_err(|_| FsError::new(libc::EINVAL, syscall, Some(&path.to_path_buf())))
}

/// `open(path, flags | O_CLOEXEC, mode)`.
pub(crate) fn open(path: &PathBuf, flags: libc::c_int, mode: u32) -> Result<OwnedFd, FsError> {
    let c = c_path(path, "open")?;
    let flags = flags | libc::O_CLOEXEC;
    // SAFETY: `c` is a NUL-terminated string alive for the call; flags and mode are integers.
    let fd = retry(|| unsafe { libc::open(c.as_ptr(), flags, mode as libc::c_uint) })
        .map_err(|errno| FsError::new(errno, "open", Some(path)))?;
    // SAFETY: `fd` was just returned by open(2), is open, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// `fstat(fd)`.
pub(crate) fn fstat(fd: BorrowedFd<'_>) -> Result<FileStat, FsError> {
    // SAFETY: all-zero is a valid `struct stat` for the kernel to overwrite.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `fd` is open; `st` is valid and writable for the call.
    retry(|| unsafe { libc::fstat(fd.as_raw_fd(), &mut st) })
        .map_err(|errno| FsError::new(errno, "fstat", None))?;
    Ok(FileStat::from_raw(&st))
}

/// `stat(path)`.
pub(crate) fn stat(path: &PathBuf) -> Result<FileStat, FsError> {
    let c = c_path(path, "stat")?;
    // SAFETY: all-zero is a valid `struct stat` for the kernel to overwrite.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: `c` is NUL-terminated and alive; `st` is valid and writable for the call.
    retry(|| unsafe { libc::stat(c.as_ptr(), &mut st) })
        .map_err(|errno| FsError::new(errno, "stat", Some(path)))?;
    Ok(FileStat::from_raw(&st))
}

/// One `read(fd, ..., len)` appended to `buf`; returns how many bytes came (0: end of file).
pub(crate) fn read_append(
    fd: BorrowedFd<'_>,
    buf: &mut Vec<u8>,
    len: usize,
) -> Result<usize, FsError> {
    buf.reserve(len);
    let spare = buf.spare_capacity_mut();
    // SAFETY: `spare` has room for at least `len` bytes, valid for writes during the call.
    let n = retry(|| unsafe { libc::read(fd.as_raw_fd(), spare.as_mut_ptr().cast(), len) })
        .map_err(|errno| FsError::new(errno, "read", None))? as usize;
    // SAFETY: read(2) initialised the first `n` bytes of the spare capacity, and n <= len.
    unsafe { buf.set_len(buf.len() + n) };
    Ok(n)
}

/// One `write(fd, data)`; returns how many bytes the kernel took.
pub(crate) fn write(fd: BorrowedFd<'_>, data: &[u8]) -> Result<usize, FsError> {
    // SAFETY: `data` is valid for reads of its length during the call.
    let n = retry(|| unsafe { libc::write(fd.as_raw_fd(), data.as_ptr().cast(), data.len()) })
        .map_err(|errno| FsError::new(errno, "write", None))?;
    Ok(n as usize)
}

/// `close(fd)`, reporting its error (on some file systems a failed write shows only here).
/// Not retried on `EINTR`: on Linux the fd is closed even then, and a retry could close an fd
/// another thread just opened.
pub(crate) fn close(fd: OwnedFd) -> Result<(), FsError> {
    let raw = fd.into_raw_fd();
    // SAFETY: we own `raw` (taken from the OwnedFd) and close it exactly once.
    match ok_or_errno(unsafe { libc::close(raw) }) {
        Ok(_) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EINTR) => Ok(()),
        Err(e) => Err(FsError::new(
            e.raw_os_error().unwrap_or(libc::EIO),
            "close",
            None,
        )),
    }
}

/// `unlink(path)`.
pub(crate) fn unlink(path: &PathBuf) -> Result<(), FsError> {
    let c = c_path(path, "unlink")?;
    // SAFETY: `c` is NUL-terminated and alive for the call.
    retry(|| unsafe { libc::unlink(c.as_ptr()) })
        .map_err(|errno| FsError::new(errno, "unlink", Some(path)))?;
    Ok(())
}
