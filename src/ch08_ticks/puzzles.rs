//! The ordering puzzles: each Node.js program of `tests/node-ordering/`, ported line for line to
//! the Rust API, with the program and Node's recorded output beside it. The tests in
//! `tests/ch08_ordering.rs` check that every port prints what Node printed; the chapter program
//! prints them side by side.

use super::Node;
use crate::ch06_pollers::Interest;
use crate::sys::net::{accept, read, write};
use std::cell::RefCell;
use std::io;
use std::net::{TcpListener, TcpStream};
use std::os::fd::OwnedFd;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// One puzzle: a Node program, what Node printed, and the port.
pub struct Puzzle {
    /// The file name without `.js`, e.g. `02-nexttick-before-promise`.
    pub name: &'static str,
    /// The JavaScript program.
    pub js: &'static str,
    /// What Node v20 printed, one line per `console.log`.
    pub expected: &'static str,
    /// Whether the port opens sockets on 127.0.0.1.
    pub network: bool,
    /// Runs the port and returns the lines it printed.
    pub run: fn() -> io::Result<Vec<String>>,
}

/// The lines a port prints, shared by its callbacks (`console.log`).
#[derive(Clone, Default)]
pub(crate) struct Console(Rc<RefCell<Vec<String>>>);

impl Console {
    pub(crate) fn log(&self, line: impl Into<String>) {
        self.0.borrow_mut().push(line.into());
    }

    /// A callback that only logs `line`: `node.next_tick(c.say("nextTick 1"))` reads like the
    /// JS `process.nextTick(() => console.log('nextTick 1'))`.
    pub(crate) fn say(&self, line: &'static str) -> impl FnMut(&mut Node) + 'static {
        let console = self.clone();
        move |_| console.log(line)
    }

    fn lines(&self) -> Vec<String> {
        self.0.borrow().clone()
    }
}

/// The busy-wait of a JS main script (`while (Date.now() < end) {}`).
fn busy_wait(ms: u64) {
    let end = Instant::now() + Duration::from_millis(ms);
    while Instant::now() < end {
        std::hint::spin_loop();
    }
}

macro_rules! puzzle {
    ($name:literal, $network:expr, $run:expr) => {
        Puzzle {
            name: $name,
            js: include_str!(concat!("../../tests/node-ordering/", $name, ".js")),
            expected: include_str!(concat!("../../tests/node-ordering/", $name, ".expected")),
            network: $network,
            run: $run,
        }
    };
}

/// Every puzzle, in file order.
pub const PUZZLES: &[Puzzle] = &[
    puzzle!("02-nexttick-before-promise", false, p02),
    puzzle!("03-nested-nexttick-drains-first", false, p03),
    puzzle!("09-net-immediate-before-timeout", true, p09),
    puzzle!("10-timers-equal-delay-fifo", false, p10),
    puzzle!("13-clear-timeout-same-phase", false, p13),
    puzzle!("15-immediate-from-immediate", false, p15),
    puzzle!("17-timer-from-timer-next-iteration", false, p17),
    puzzle!("18-microtasks-between-timers", false, p18),
    puzzle!("19-microtasks-between-immediates", false, p19),
    puzzle!("21-socket-close-after-check", true, p21),
    puzzle!("23-unref-timer-loop-exits", false, p23),
    puzzle!("30-nexttick-recursion-bounded", false, p30),
    puzzle!("31-clear-immediate-from-immediate", false, p31),
    puzzle!("32-immediate-from-tick-in-immediate", false, p32),
    puzzle!("33-microtasks-queue-ticks", false, p33),
    puzzle!("34-interval-clears-itself", false, p34),
    puzzle!("35-unref-timers", false, p35),
    puzzle!("36-clear-timeout-from-nexttick", false, p36),
    puzzle!("37-interval-requeues-behind-same-delay", false, p37),
    puzzle!("38-close-callbacks-lifo", true, p38),
    puzzle!("39-unref-immediate", false, p39),
    puzzle!("40-immediate-clears-timeout", false, p40),
];

/// Boots a loop, runs `main` as the main script, runs the loop to the end, then `exit` (Node's
/// `process.on('exit')`), and returns what was printed.
pub(crate) fn node_program(
    main: impl FnOnce(&mut Node, &Console),
    exit: impl FnOnce(&Console),
) -> io::Result<Vec<String>> {
    let console = Console::default();
    let mut node = Node::boot()?;
    let c = console.clone();
    node.run_main(move |node| main(node, &c));
    node.run_until_done()?;
    exit(&console);
    Ok(console.lines())
}

pub(crate) fn no_exit(_: &Console) {}

// ANCHOR: p02
fn p02() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            node.queue_microtask(c.say("promise 1"));
            node.queue_microtask(c.say("microtask 2"));
            node.next_tick(c.say("nextTick 1"));
            node.next_tick(c.say("nextTick 2"));
            node.queue_microtask(c.say("promise 3"));
            c.log("sync");
        },
        no_exit,
    )
}
// ANCHOR_END: p02

fn p03() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            node.next_tick(move |node| {
                c1.log("tick A");
                node.next_tick(move |node| {
                    c1.log("tick A.1");
                    node.next_tick(move |_| c1.log("tick A.1.1"));
                });
            });
            node.next_tick(c.say("tick B"));
            node.queue_microtask(c.say("promise"));
        },
        no_exit,
    )
}

/// A listening socket on 127.0.0.1 (port chosen by the kernel), non-blocking, and its port.
fn listener() -> io::Result<(OwnedFd, u16)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    listener.set_nonblocking(true)?;
    let port = listener.local_addr()?.port();
    Ok((OwnedFd::from(listener), port))
}

/// A client socket connected to `port`, non-blocking. On loopback the connect completes at
/// once; the loop reports it as the socket becoming writable, as Node's `'connect'`.
fn client(port: u16) -> io::Result<OwnedFd> {
    let stream = TcpStream::connect(("127.0.0.1", port))?;
    stream.set_nonblocking(true)?;
    Ok(OwnedFd::from(stream))
}

// ANCHOR: p09
fn p09() -> io::Result<Vec<String>> {
    let (server_fd, port) = listener()?;
    let client_fd = client(port)?;
    node_program(
        move |node, c| {
            // The server: accept, send "hello", end.
            let server = node
                .watch(server_fd, Interest::READABLE, |node, me, _| {
                    let Some(fd) = node.io_fd(me) else { return };
                    if let Ok((sock, _)) = accept(fd) {
                        let _ = write(std::os::fd::AsFd::as_fd(&sock), b"hello");
                    }
                })
                .expect("watch the listener");
            // The client: the first data, then the end.
            let c = c.clone();
            let mut seen_data = false;
            node.watch(client_fd, Interest::READABLE, move |node, me, _| {
                let mut buf = [0u8; 64];
                let n = match node.io_fd(me).map(|fd| read(fd, &mut buf)) {
                    Some(Ok(n)) => n,
                    _ => return, // EAGAIN: a spurious wakeup
                };
                if n > 0 && !seen_data {
                    seen_data = true;
                    c.log("data callback");
                    node.set_timeout(0, c.say("timeout"));
                    node.set_immediate(c.say("immediate"));
                    node.next_tick(c.say("nextTick"));
                } else if n == 0 {
                    node.close_handle(me, |_| {});
                    node.close_handle(server, |_| {});
                }
            })
            .expect("watch the client");
        },
        no_exit,
    )
}
// ANCHOR_END: p09

fn p10() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            for name in ["a", "b", "c", "d", "e"] {
                let c1 = c.clone();
                node.set_timeout(10, move |_| c1.log(format!("timeout {name}")));
            }
        },
        no_exit,
    )
}

fn p13() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let e = Rc::new(RefCell::new(None));
            let (c1, e1) = (c.clone(), e.clone());
            node.set_timeout(5, move |node| {
                c1.log("D (5ms) runs, clears E");
                if let Some(e) = e1.borrow_mut().take() {
                    node.clear_timeout(e);
                }
            });
            *e.borrow_mut() = Some(node.set_timeout(6, c.say("E (6ms, must not run)")));
            let b = Rc::new(RefCell::new(None));
            let (c1, b1) = (c.clone(), b.clone());
            node.set_timeout(10, move |node| {
                c1.log("A (10ms) runs, clears B");
                if let Some(b) = b1.borrow_mut().take() {
                    node.clear_timeout(b);
                }
            });
            *b.borrow_mut() = Some(node.set_timeout(10, c.say("B (10ms, must not run)")));
            node.set_timeout(10, c.say("C (10ms) runs"));
            busy_wait(50);
        },
        no_exit,
    )
}

fn p15() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            node.set_immediate(move |node| {
                c1.log("immediate A");
                node.set_immediate(move |_| c1.log("immediate A2 (queued by A)"));
            });
            let c1 = c.clone();
            node.set_immediate(move |node| {
                c1.log("immediate B");
                node.set_immediate(move |_| c1.log("immediate B2 (queued by B)"));
            });
            node.set_immediate(c.say("immediate C"));
        },
        no_exit,
    )
}

fn p17() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            node.set_timeout(0, move |node| {
                c1.log("timeout A");
                let c2 = c1.clone();
                node.set_timeout(0, move |_| c2.log("timeout A2 (created by A, delay 0)"));
                busy_wait(10);
            });
            node.set_timeout(0, c.say("timeout B"));
            busy_wait(5);
        },
        no_exit,
    )
}

// ANCHOR: p18
fn p18() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            node.set_timeout(0, move |node| {
                c1.log("timeout A");
                let c2 = c1.clone();
                node.queue_microtask(move |_| c2.log("promise from A"));
                node.next_tick(move |_| c1.log("nextTick from A"));
            });
            node.set_timeout(0, c.say("timeout B"));
            let c1 = c.clone();
            node.set_timeout(5, move |node| {
                c1.log("timeout C (other bucket, 5ms)");
                node.next_tick(move |_| c1.log("nextTick from C"));
            });
            node.set_timeout(5, c.say("timeout D (5ms)"));
            busy_wait(10);
        },
        no_exit,
    )
}
// ANCHOR_END: p18

fn p19() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            node.set_immediate(move |node| {
                c1.log("immediate A");
                let c2 = c1.clone();
                node.queue_microtask(move |_| c2.log("promise from A"));
                node.next_tick(move |_| c1.log("nextTick from A"));
            });
            node.set_immediate(c.say("immediate B"));
        },
        no_exit,
    )
}

/// A server that accepts and keeps its sockets until the loop is done, as a `net` server whose
/// sockets only ignore errors.
fn keep_accepting(node: &mut Node, fd: OwnedFd) -> crate::ch07_phases::Handle {
    let kept = Rc::new(RefCell::new(Vec::new()));
    node.watch(fd, Interest::READABLE, move |node, me, _| {
        if let Some(Ok((sock, _))) = node.io_fd(me).map(accept) {
            kept.borrow_mut().push(sock);
        }
    })
    .expect("watch the listener")
}

// ANCHOR: p21
fn p21() -> io::Result<Vec<String>> {
    let (server_fd, port) = listener()?;
    let client_fd = client(port)?;
    node_program(
        move |node, c| {
            let server = keep_accepting(node, server_fd);
            let c = c.clone();
            node.watch(client_fd, Interest::WRITABLE, move |node, me, _| {
                c.log("connect callback");
                node.io_stop(me); // connected: no more interest in writability
                node.set_timeout(0, c.say("timeout 0"));
                node.set_immediate(c.say("immediate"));
                node.queue_microtask(c.say("promise"));
                node.next_tick(c.say("nextTick"));
                let c1 = c.clone();
                node.close_handle(me, move |node| {
                    c1.log("socket close event");
                    node.close_handle(server, |_| {});
                });
                c.log("destroy called");
            })
            .expect("watch the client");
        },
        no_exit,
    )
}
// ANCHOR_END: p21

fn p23() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let t = node.set_timeout(50, c.say("unref timer (must not run)"));
            node.unref_timer(t);
            c.log(format!("hasRef: {}", node.timer_has_ref(t)));
        },
        |c| c.log("exit code=0"),
    )
}

// ANCHOR: p30
fn p30() -> io::Result<Vec<String>> {
    fn tick(node: &mut Node, n: u32, c: Console) {
        if n + 1 < 1000 {
            node.next_tick(move |node| tick(node, n + 1, c));
        } else {
            c.log(format!("ticks done: {}", n + 1));
        }
    }
    node_program(
        |node, c| {
            node.set_immediate(c.say("immediate (waited for every tick)"));
            node.queue_microtask(c.say("promise (after the last tick)"));
            let c1 = c.clone();
            node.next_tick(move |node| tick(node, 0, c1));
        },
        no_exit,
    )
}
// ANCHOR_END: p30

fn p31() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let b = Rc::new(RefCell::new(None));
            let (c1, b1) = (c.clone(), b.clone());
            node.set_immediate(move |node| {
                c1.log("immediate A clears B");
                if let Some(b) = b1.borrow_mut().take() {
                    node.clear_immediate(b);
                }
            });
            let c1 = c.clone();
            *b.borrow_mut() =
                Some(node.set_immediate(move |_| c1.log("immediate B (must not run)")));
            node.set_immediate(c.say("immediate C"));
        },
        no_exit,
    )
}

fn p32() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            node.set_immediate(move |node| {
                c1.log("immediate A");
                node.next_tick(move |node| {
                    c1.log("tick from A");
                    node.set_immediate(move |_| c1.log("immediate from the tick (next turn)"));
                });
            });
            node.set_immediate(c.say("immediate B"));
        },
        no_exit,
    )
}

fn p33() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            node.queue_microtask(move |node| {
                c1.log("promise 1");
                let c2 = c1.clone();
                node.next_tick(move |_| c2.log("tick from promise 1"));
                node.queue_microtask(move |_| c1.log("promise 1.1 (queued by promise 1)"));
            });
            node.queue_microtask(c.say("promise 2"));
            node.next_tick(c.say("tick 1"));
        },
        no_exit,
    )
}

// ANCHOR: p34
fn p34() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            let me = Rc::new(RefCell::new(None));
            let me1 = me.clone();
            let mut n = 0;
            let interval = node.set_interval(1, move |node| {
                n += 1;
                c1.log(format!("interval {n}"));
                if n == 3 {
                    if let Some(me) = *me1.borrow() {
                        node.clear_interval(me);
                    }
                    c1.log("cleared");
                }
            });
            *me.borrow_mut() = Some(interval);
        },
        |c| c.log("exit"),
    )
}
// ANCHOR_END: p34

fn p35() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            let weak = node.set_timeout(5, move |_| {
                c1.log("unref timeout 5 (loop kept alive by the 50)")
            });
            node.unref_timer(weak);
            let iv = node.set_interval(1000, c.say("unref interval 1000 (must not run)"));
            node.unref_timer(iv);
            node.set_timeout(50, c.say("ref timeout 50"));
        },
        |c| c.log("exit"),
    )
}

fn p36() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let t = node.set_timeout(1, c.say("timeout 1 (must not run)"));
            let c1 = c.clone();
            node.next_tick(move |node| {
                node.clear_timeout(t);
                c1.log("tick cleared the timeout");
            });
            node.set_timeout(2, c.say("timeout 2"));
        },
        no_exit,
    )
}

fn p37() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            let me = Rc::new(RefCell::new(None));
            let me1 = me.clone();
            let mut n = 0;
            let iv = node.set_interval(5, move |node| {
                n += 1;
                c1.log(format!("interval run {n}"));
                if n == 2
                    && let Some(me) = *me1.borrow()
                {
                    node.clear_interval(me);
                }
            });
            *me.borrow_mut() = Some(iv);
            node.set_timeout(5, c.say("timeout 5"));
        },
        no_exit,
    )
}

// ANCHOR: p38
fn p38() -> io::Result<Vec<String>> {
    let (server_fd, port) = listener()?;
    let a_fd = client(port)?;
    node_program(
        move |node, c| {
            let server = keep_accepting(node, server_fd);
            let c = c.clone();
            node.watch(a_fd, Interest::WRITABLE, move |node, a, _| {
                node.io_stop(a);
                let b_fd = client(port).expect("connect b");
                let c = c.clone();
                node.watch(b_fd, Interest::WRITABLE, move |node, b, _| {
                    node.io_stop(b);
                    node.set_immediate(c.say("immediate"));
                    node.close_handle(a, c.say("close a"));
                    let c1 = c.clone();
                    node.close_handle(b, move |node| {
                        c1.log("close b");
                        node.close_handle(server, |_| {});
                    });
                    c.log("destroyed a, then b");
                })
                .expect("watch b");
            })
            .expect("watch a");
        },
        no_exit,
    )
}
// ANCHOR_END: p38

fn p39() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let im = node.set_immediate(c.say("unref immediate (must not run)"));
            node.unref_immediate(im);
            c.log("main done");
        },
        |c| c.log("exit"),
    )
}

fn p40() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let t = node.set_timeout(10, c.say("timeout 10 (must not run)"));
            let c1 = c.clone();
            node.set_immediate(move |node| {
                node.clear_timeout(t);
                c1.log("immediate cleared the timeout");
            });
        },
        |c| c.log("exit"),
    )
}
