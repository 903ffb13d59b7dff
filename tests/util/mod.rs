//! Helpers shared by the integration tests: run a chapter program as a reader would, connect
//! real sockets to it, and read what comes back, always with a timeout so a broken server fails
//! a test instead of hanging it.
#![allow(dead_code)] // each test file uses its own subset

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::fd::AsRawFd;
use std::os::unix::process::CommandExt;
use std::process::{Child, ChildStdout, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// How long any single step may take before the test gives up. Generous: CI machines are busy.
pub const PATIENCE: Duration = Duration::from_secs(10);

/// A chapter program running in the background, listening on a port the kernel chose.
pub struct Program {
    child: Child,
    lines: Receiver<String>,
    /// The port from the program's first line, `listening on 127.0.0.1:PORT`.
    pub port: u16,
}

impl Program {
    /// Starts `exe` (use `env!("CARGO_BIN_EXE_chNN-slug")`) with `--port 0` and `args`, and waits
    /// for its `listening on 127.0.0.1:PORT` line.
    #[track_caller]
    pub fn start(exe: &str, args: &[&str]) -> Program {
        let mut command = Command::new(exe);
        command.arg("--port").arg("0").args(args);
        Program::start_command(command)
    }

    /// Like [`Program::start`], with the program's fd limit lowered to `limit` (soft and hard,
    /// so the program cannot raise it back) before it runs, as `prlimit --nofile=N:N` would.
    #[track_caller]
    pub fn start_with_fd_limit(exe: &str, args: &[&str], limit: libc::rlim_t) -> Program {
        let mut command = Command::new(exe);
        // SAFETY: the closure runs in the child between fork and exec; it only calls
        // setrlimit, which is async-signal-safe, and allocates nothing.
        unsafe {
            command.pre_exec(move || {
                let lim = libc::rlimit {
                    rlim_cur: limit,
                    rlim_max: limit,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &lim) == 0 {
                    Ok(())
                } else {
                    Err(std::io::Error::last_os_error())
                }
            });
        }
        command.arg("--port").arg("0").args(args);
        Program::start_command(command)
    }

    /// Starts a prepared command (it must ask for `--port 0` itself) and waits for its
    /// `listening on 127.0.0.1:PORT` line: for a test that needs to set something up first, such
    /// as a resource limit in `pre_exec`.
    #[track_caller]
    pub fn start_command(mut command: Command) -> Program {
        let exe = command.get_program().to_string_lossy().into_owned();
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {exe}: {e}"));
        let lines = forward_lines(child.stdout.take().unwrap());
        let mut program = Program {
            child,
            lines,
            port: 0,
        };
        let first = program.next_line();
        let port = first
            .strip_prefix("listening on 127.0.0.1:")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("expected `listening on 127.0.0.1:PORT`, got {first:?}"));
        program.port = port;
        program
    }

    /// Connects a client to the program.
    #[track_caller]
    pub fn connect(&self) -> Client {
        Client::connect(self.port)
    }

    /// The next line the program printed on stdout (without the newline).
    #[track_caller]
    pub fn next_line(&mut self) -> String {
        match self.lines.recv_timeout(PATIENCE) {
            Ok(line) => line,
            Err(RecvTimeoutError::Timeout) => {
                panic!("the program printed nothing for {PATIENCE:?}")
            }
            Err(RecvTimeoutError::Disconnected) => panic!("the program closed its stdout"),
        }
    }

    /// Skips printed lines until one contains `needle`, and returns it.
    #[track_caller]
    pub fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => continue,
                Err(_) => panic!("no line containing {needle:?} within {PATIENCE:?}"),
            }
        }
    }

    /// Every line the program prints during the next `duration`.
    pub fn lines_during(&mut self, duration: Duration) -> Vec<String> {
        let deadline = Instant::now() + duration;
        let mut lines = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => lines.push(line),
                Err(RecvTimeoutError::Timeout) => return lines,
                Err(RecvTimeoutError::Disconnected) => panic!("the program closed its stdout"),
            }
        }
    }

    /// The CPU time (user + system) the program has used so far, from `/proc/PID/stat`; `None`
    /// where there is no `/proc` (macOS).
    pub fn cpu_time(&self) -> Option<Duration> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        // The fields after the command name, which is in parentheses and may contain spaces:
        // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>().ok()? + fields[12].parse::<u64>().ok()?;
        // SAFETY: sysconf takes an integer and reads no memory of ours.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as u64;
        Some(Duration::from_millis(ticks * 1000 / per_second))
    }

    /// Sends `SIGINT`, as Ctrl-C in a terminal would.
    pub fn interrupt(&self) {
        // SAFETY: kill takes plain integers; the pid is our own child, not yet reaped.
        let rc = unsafe { libc::kill(self.child.id() as libc::pid_t, libc::SIGINT) };
        assert_eq!(rc, 0, "kill(SIGINT) failed");
    }

    /// Presses Ctrl-C and waits for the program to exit; returns its status and its last lines.
    ///
    /// A `SIGINT` that lands after a loop checked its stop flag but before it entered a blocking
    /// call (`accept`, `read`, `select`, `epoll_wait`) is handled before that call starts, and
    /// the call then sleeps on: a window of a few instructions that every chapter's pitfalls
    /// explain (chapter 9 closes it). A person at a terminal would press Ctrl-C again; so do we,
    /// once, if the program is still running after a second.
    #[track_caller]
    pub fn stop_with_ctrl_c(&mut self) -> (ExitStatus, Vec<String>) {
        self.interrupt();
        let deadline = Instant::now() + Duration::from_secs(1);
        while Instant::now() < deadline && self.child.try_wait().unwrap().is_none() {
            std::thread::sleep(Duration::from_millis(10));
        }
        if self.child.try_wait().unwrap().is_none() {
            eprintln!("the first SIGINT fell into the race window; pressing Ctrl-C again");
            self.interrupt();
        }
        self.wait_for_exit()
    }

    /// Waits for the program to exit, and returns its status and whatever it printed meanwhile.
    #[track_caller]
    pub fn wait_for_exit(&mut self) -> (ExitStatus, Vec<String>) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The process is gone, but its last lines may still be in the pipe: read until
                // the forwarding thread sees end of file and hangs up.
                let mut rest = Vec::new();
                while let Ok(line) = self.lines.recv_timeout(PATIENCE) {
                    rest.push(line);
                }
                return (status, rest);
            }
            assert!(
                Instant::now() < deadline,
                "the program did not exit within {PATIENCE:?}"
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// How many file descriptors the program has open: the entries of `/proc/PID/fd`.
    ///
    /// Linux only, like every test that counts another process's fds: macOS has no `/proc` (it
    /// would take `proc_pidinfo(PROC_PIDLISTFDS)`), so there these tests are left out, and the
    /// cfg makes a new caller that forgets the gate fail the macOS cross-check (`.ci/run`).
    #[cfg(target_os = "linux")]
    pub fn open_fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid()))
            .expect("reading /proc/PID/fd")
            .count()
    }

    /// Connects `rounds` times `clients` clients, lets `talk` exchange something with each (so
    /// the server has surely accepted it), closes them all, and checks that the server's open
    /// fds come back to where they were before: every accepted socket was closed.
    #[cfg(target_os = "linux")]
    #[track_caller]
    pub fn assert_clients_leave_no_fds(
        &mut self,
        rounds: usize,
        clients: usize,
        talk: impl Fn(&mut Client, usize),
    ) {
        let before = self.open_fds();
        for _ in 0..rounds {
            let mut open: Vec<Client> = (0..clients).map(|_| self.connect()).collect();
            for (i, client) in open.iter_mut().enumerate() {
                talk(client, i);
            }
            assert!(
                self.open_fds() >= before + clients,
                "the server did not hold the clients"
            );
            drop(open);
            let deadline = Instant::now() + PATIENCE;
            while self.open_fds() != before && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(10));
            }
            assert_eq!(
                self.open_fds(),
                before,
                "fds still open after every client left"
            );
        }
    }

    /// The child's process id (for `/proc/PID/...`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until one of the program's threads is asleep inside the system call `number`
    /// (`libc::SYS_write`, …), as `/proc/PID/task/TID/syscall` and `…/stat` show it: seen there
    /// on three looks in a row, 20 ms apart, so it is blocked, not passing through. A signal
    /// sent now is certain to interrupt that call.
    #[cfg(target_os = "linux")]
    #[track_caller]
    pub fn wait_until_blocked_in(&self, number: libc::c_long) {
        let pid = self.pid();
        let asleep_in = |tid: &str| -> bool {
            let syscall = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/syscall"));
            let stat = std::fs::read_to_string(format!("/proc/{pid}/task/{tid}/stat"));
            let (Ok(syscall), Ok(stat)) = (syscall, stat) else {
                return false;
            };
            // `stat` is `TID (name) STATE …`; the name may hold spaces, so split after the `)`.
            let state = stat.rsplit_once(')').map(|(_, rest)| rest.trim_start());
            syscall.split_whitespace().next() == Some(number.to_string().as_str())
                && state.is_some_and(|s| s.starts_with('S'))
        };
        let any_thread_asleep = || {
            std::fs::read_dir(format!("/proc/{pid}/task"))
                .expect("/proc/PID/task")
                .filter_map(Result::ok)
                .any(|t| asleep_in(&t.file_name().to_string_lossy()))
        };
        let deadline = Instant::now() + PATIENCE;
        let mut seen = 0;
        while seen < 3 {
            assert!(
                Instant::now() < deadline,
                "no thread blocked in system call {number} within {PATIENCE:?}"
            );
            seen = if any_thread_asleep() { seen + 1 } else { 0 };
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Starts `exe` a second time on the port a first copy holds, and checks that it fails with exit
/// status 1 and one clear line on stderr, `NAME: cannot listen on 127.0.0.1:PORT: ...`.
#[track_caller]
pub fn assert_refuses_a_port_in_use(exe: &str, name: &str) {
    let first = Program::start(exe, &[]);
    let output = Command::new(exe)
        .args(["--port", &first.port.to_string()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!("{name}: cannot listen on 127.0.0.1:"))
            && stderr.contains("Address already in use"),
        "unexpected error message {stderr:?}"
    );
}

/// Runs `exe --port 0 ARGS` and checks that it refuses them at startup: it exits with status
/// `code` within [`PATIENCE`], saying something that contains `says` on stderr. A program that
/// starts serving instead is killed, and the test fails.
#[track_caller]
pub fn assert_refuses_at_startup(exe: &str, args: &[&str], code: i32, says: &str) {
    let mut child = Command::new(exe)
        .args(["--port", "0"])
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("could not start {exe}: {e}"));
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{exe} {args:?} started instead of refusing its arguments");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(status.code(), Some(code), "{exe} {args:?}: {stderr}");
    assert!(stderr.contains(says), "{exe} {args:?}: {stderr:?}");
}

/// Sets `SO_LINGER` to zero, so that closing the socket sends a reset (RST) instead of an orderly
/// end of file: the peer's next `read` or `write` fails with `ECONNRESET` or `EPIPE`.
#[track_caller]
pub fn reset_on_close(stream: &TcpStream) {
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: `linger` is a valid, initialised struct and we pass its exact size.
    let rc = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "setsockopt(SO_LINGER)");
}

/// Sets a socket's kernel send buffer (`SO_SNDBUF`) to `bytes`.
#[track_caller]
pub fn set_send_buffer(stream: &TcpStream, bytes: libc::c_int) {
    // SAFETY: `bytes` is a valid c_int and we pass its exact size.
    let rc = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_SNDBUF,
            (&bytes as *const libc::c_int).cast(),
            size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(rc, 0, "setsockopt(SO_SNDBUF)");
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn forward_lines(stdout: ChildStdout) -> Receiver<String> {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { break };
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// A test client: a blocking TCP connection whose reads time out.
pub struct Client {
    reader: BufReader<TcpStream>,
}

impl Client {
    /// Connects to `127.0.0.1:port`.
    #[track_caller]
    pub fn connect(port: u16) -> Client {
        let stream = TcpStream::connect(("127.0.0.1", port))
            .unwrap_or_else(|e| panic!("connect to 127.0.0.1:{port}: {e}"));
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        Client {
            reader: BufReader::new(stream),
        }
    }

    /// Sends `bytes`.
    #[track_caller]
    pub fn send(&mut self, bytes: &[u8]) {
        self.reader.get_mut().write_all(bytes).unwrap();
    }

    /// Reads one line (without its `\n`); panics on timeout or end of stream.
    #[track_caller]
    pub fn read_line(&mut self) -> String {
        let mut line = String::new();
        let n = self
            .reader
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("reading a line: {e}"));
        assert!(n > 0, "the server closed the connection");
        line.truncate(line.trim_end_matches(['\r', '\n']).len());
        line
    }

    /// Reads exactly `n` bytes.
    #[track_caller]
    pub fn read_exact(&mut self, n: usize) -> Vec<u8> {
        let mut buf = vec![0; n];
        self.reader.read_exact(&mut buf).unwrap();
        buf
    }

    /// Whether nothing arrives within `wait` (the connection stays open and silent).
    pub fn is_silent_for(&mut self, wait: Duration) -> bool {
        let stream = self.reader.get_ref();
        stream.set_read_timeout(Some(wait)).unwrap();
        let mut byte = [0u8; 1];
        let silent = match self.reader.read(&mut byte) {
            Err(e) => matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
            Ok(_) => false,
        };
        self.reader
            .get_ref()
            .set_read_timeout(Some(PATIENCE))
            .unwrap();
        silent
    }

    /// Reads until the server closes the connection; returns what arrived.
    #[track_caller]
    pub fn read_to_end(&mut self) -> Vec<u8> {
        let mut all = Vec::new();
        self.reader.read_to_end(&mut all).unwrap();
        all
    }

    /// The underlying stream, for shutdown and the like.
    pub fn stream(&self) -> &TcpStream {
        self.reader.get_ref()
    }
}
