//! `cargo run --bin ch09-threadpool`: the thread pool, the async handle and the signal handle,
//! shown one demonstration at a time (the subcommands), behind a small file server on
//! `--port`. Ctrl-C arrives through a signal handle in every mode; the program says so and
//! exits 0.

use clap::{Parser, Subcommand};
use eventloops::ch08_ticks::Node;
use eventloops::ch09_threadpool::demo::server::Server;
use eventloops::ch09_threadpool::demo::{StopFlag, coalesce, slow, ticking, why};
use eventloops::ch09_threadpool::signal::race;
use eventloops::ch09_threadpool::{POOL_SIZE_VAR, PoolSize, Wakeup};
use eventloops::sys::net;
use std::cell::RefCell;
use std::io;
use std::os::fd::AsFd;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

/// Chapter 9's thread pool: files read and checksums computed without stopping the loop.
///
/// Each subcommand shows one thing: a timer that keeps ticking while the pool works (tick),
/// the pool's size (slow), wakeups that coalesce (coalesce), the Ctrl-C race and its fix
/// (race), one read_file for strace (read-file), why the kernel cannot help (why). Ctrl-C arrives through a signal handle in
/// every mode. While it runs the program also serves files on 127.0.0.1:PORT: send a path per
/// line (nc 127.0.0.1 PORT), get back its size and checksum, read on the pool.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Port to listen on, 127.0.0.1 only (0: the kernel picks one).
    #[arg(long, default_value_t = 7009)]
    port: u16,
    /// Threads in the pool, 1 to 1024 (default: $EVENTLOOPS_THREADPOOL_SIZE, else 4).
    #[arg(long, value_parser = parse_pool_size)]
    pool: Option<PoolSize>,
    /// What to show (default: tick).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Clone)]
enum Command {
    /// A 100 ms timer keeps ticking while the pool writes a large file, reads it back and
    /// computes its checksum.
    Tick {
        /// Size of the file, in MiB.
        #[arg(long, default_value_t = 32)]
        mib: usize,
        /// How many times the checksum goes over the data.
        #[arg(long, default_value_t = 2)]
        rounds: u32,
        /// Read and compute on the loop thread instead, to see the ticks stop.
        #[arg(long)]
        on_loop: bool,
    },
    /// Pool size + 1 slow tasks: the last one waits for a free thread.
    Slow {
        /// How long each task takes, in ms.
        #[arg(long, default_value_t = 500)]
        task_ms: u64,
    },
    /// One thread sends a million times to an async handle: how many wakeups and callbacks.
    Coalesce {
        /// How many sends.
        #[arg(long, default_value_t = 1_000_000)]
        sends: u64,
        /// Wake through a pipe instead of the OS's native wakeup.
        #[arg(long)]
        pipe: bool,
    },
    /// The Ctrl-C race of chapters 1-8, a flag against a signal handle.
    Race,
    /// Read one file with read_file and print its size (or its error): for strace.
    ReadFile {
        /// The file.
        path: PathBuf,
    },
    /// Why a pool: what epoll, poll and getaddrinfo do with a regular file and a host name.
    Why {
        /// The regular file to try.
        #[arg(default_value = "Cargo.toml")]
        file: PathBuf,
    },
    /// Only serve files, until Ctrl-C.
    Serve,
}

fn parse_pool_size(text: &str) -> Result<PoolSize, String> {
    PoolSize::parse(text).map_err(|e| e.to_string())
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("ch09-threadpool: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What the program owns while it runs: the server and the signal handles, closed at the end
/// so that the loop has nothing left and returns.
struct Running {
    server: Server,
    signals: Vec<eventloops::ch07_phases::Handle>,
    failed: bool,
}

fn finish(node: &mut Node, running: &Rc<RefCell<Running>>) {
    let r = running.borrow();
    r.server.close(node);
    for &signal in &r.signals {
        node.close(signal, |_, _| {});
    }
}

fn run(args: Args) -> io::Result<ExitCode> {
    let command = args.command.clone().unwrap_or(Command::Tick {
        mib: 32,
        rounds: 2,
        on_loop: false,
    });
    // Set-up: the loop, the pool, the listening socket, the signal handles. Only then the
    // first line.
    let mut node = Node::boot()?;
    let size = match args.pool {
        Some(size) => size,
        None => PoolSize::from_env()?,
    };
    node.start_threadpool(size)?;
    let listener = net::listen_tcp(args.port).map_err(|e| {
        io::Error::new(
            e.kind(),
            format!("cannot listen on 127.0.0.1:{}: {e}", args.port),
        )
    })?;
    let port = net::local_port(listener.as_fd())?;
    let server = Server::start(&mut node, listener)?;
    let stop = StopFlag::default();
    let running = Rc::new(RefCell::new(Running {
        server,
        signals: Vec::new(),
        failed: false,
    }));
    for signum in [libc::SIGINT, libc::SIGTERM] {
        let (r, stop) = (running.clone(), stop.clone());
        let handle = node.signal_start(signum, move |node, _, signum| {
            let name = if signum == libc::SIGINT {
                "SIGINT (Ctrl-C)"
            } else {
                "SIGTERM"
            };
            println!("{name} arrived through the signal handle: stopping");
            stop.raise();
            finish(node, &r);
            node.stop();
        })?;
        running.borrow_mut().signals.push(handle);
    }
    println!("listening on 127.0.0.1:{port}");
    let from = if args.pool.is_some() {
        "--pool"
    } else if std::env::var_os(POOL_SIZE_VAR).is_some() {
        POOL_SIZE_VAR
    } else {
        "the default"
    };
    println!("pool: {} threads ({from})", size.get());

    let r = running.clone();
    let end = move |node: &mut Node| finish(node, &r);
    let mut temp_file = None;
    match command {
        Command::Tick {
            mib,
            rounds,
            on_loop,
        } => {
            let plan = ticking::Plan {
                path: std::env::temp_dir().join(format!("ch09-tick-{}.bin", std::process::id())),
                mib,
                rounds,
                on_loop,
            };
            temp_file = Some(plan.path.clone());
            ticking::start(&mut node, plan, stop.clone(), end)?;
        }
        Command::Slow { task_ms } => {
            let tasks = size.get() + 1;
            slow::start(
                &mut node,
                tasks,
                Duration::from_millis(task_ms),
                stop.clone(),
                end,
            )?;
        }
        Command::Coalesce { sends, pipe } => {
            let wakeup = if pipe {
                Wakeup::pipe()?
            } else {
                Wakeup::new()?
            };
            coalesce::start(&mut node, sends, wakeup, move |node, counts| {
                println!(
                    "{} sends -> {} wakeups (system calls), {} callbacks",
                    counts.sends, counts.wakes, counts.callbacks
                );
                end(node);
            })?;
        }
        Command::Race => {
            show_race()?;
            end(&mut node);
        }
        Command::ReadFile { path } => {
            let r = running.clone();
            node.read_file(path.clone(), move |node, result| {
                match result {
                    Ok(data) => println!("read_file {}: {} bytes", path.display(), data.len()),
                    Err(e) => {
                        println!("read_file {}: {e}", path.display());
                        r.borrow_mut().failed = true;
                    }
                }
                end(node);
            })?;
        }
        Command::Why { file } => {
            for line in why::why(&file) {
                println!("{line}");
            }
            end(&mut node);
        }
        Command::Serve => {
            println!("serving files: send a path per line; Ctrl-C to stop");
        }
    }
    node.run_until_done()?;
    let failed = running.borrow().failed;
    drop(node); // stops and joins the pool's threads
    if let Some(path) = temp_file {
        let _ = std::fs::remove_file(path); // left behind if Ctrl-C came before the unlink
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The race, put in its window on purpose, with `SIGUSR1` (raised by the program itself).
fn show_race() -> io::Result<()> {
    let safety = Duration::from_millis(500);
    println!("SIGUSR1 raised after the loop's last check, right before it blocks:");
    let flag = race::with_a_flag(libc::SIGUSR1, safety)?;
    println!(
        "  with a flag (chapters 1-8): noticed after {:6.1} ms{}",
        flag.noticed_after.as_secs_f64() * 1000.0,
        if flag.slept_through {
            "  <- slept until its 500 ms timer"
        } else {
            ""
        }
    );
    let handle = race::with_a_signal_handle(libc::SIGUSR1, safety)?;
    println!(
        "  with a signal handle:       noticed after {:6.1} ms{}",
        handle.noticed_after.as_secs_f64() * 1000.0,
        if handle.slept_through {
            "  <- slept through it"
        } else {
            "  <- the pipe was readable: no sleep"
        }
    );
    Ok(())
}
