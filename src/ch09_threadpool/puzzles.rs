//! The `fs` and `dns` ordering puzzles: the Node programs `41`–`45` of `tests/node-ordering/`,
//! ported line for line to the Rust API of this chapter on chapter 8's `Node`, with Node's
//! recorded output beside each. `tests/ch09_ordering.rs` checks that every port prints what Node
//! printed; chapter 8's puzzles and helpers are reused as they are.

use crate::ch08_ticks::Node;
use crate::ch08_ticks::puzzles::{Console, Puzzle, no_exit, node_program};
use std::io;
use std::path::PathBuf;

macro_rules! puzzle {
    ($name:literal, $run:expr) => {
        Puzzle {
            name: $name,
            js: include_str!(concat!("../../tests/node-ordering/", $name, ".js")),
            expected: include_str!(concat!("../../tests/node-ordering/", $name, ".expected")),
            network: false,
            run: $run,
        }
    };
}

/// Every puzzle of this chapter, in file order.
pub const PUZZLES: &[Puzzle] = &[
    puzzle!("41-readfile-immediate-before-timeout", p41),
    puzzle!("42-readfile-missing-file", p42),
    puzzle!("43-immediate-before-readfile", p43),
    puzzle!("44-writefile-readfile-unlink-stat", p44),
    puzzle!("45-lookup-callback-in-poll-phase", p45),
];

/// The program's own file (JavaScript's `__filename`).
fn filename(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/node-ordering")
        .join(format!("{name}.js"))
}

/// A request that could not even be queued (the pool did not start) prints its error, so the
/// port's output differs from Node's and says why.
fn or_log(c: &Console, queued: io::Result<()>) {
    if let Err(e) = queued {
        c.log(format!("error: {e}"));
    }
}

// ANCHOR: p41
fn p41() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            let queued = node.read_file(
                filename("41-readfile-immediate-before-timeout"),
                move |node, _| {
                    c1.log("readFile callback");
                    node.set_timeout(0, c1.say("timeout"));
                    node.set_immediate(c1.say("immediate"));
                    node.next_tick(c1.say("nextTick"));
                    node.queue_microtask(c1.say("promise"));
                },
            );
            or_log(c, queued);
            c.log("main");
        },
        no_exit,
    )
}
// ANCHOR_END: p41

fn p42() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            let queued = node.read_file("does-not-exist.txt", move |_, result| {
                let data: Option<Vec<u8>> = result.as_ref().ok().cloned();
                let err = result.unwrap_err();
                c1.log(format!("{} {} {}", err.code(), err.syscall, data.is_none()));
                c1.log(err.to_string());
            });
            or_log(c, queued);
            c.log("main ends before the callback");
        },
        no_exit,
    )
}

fn p43() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let path = filename("43-immediate-before-readfile");
            let c1 = c.clone();
            let queued = node.read_file(path, move |_, _| c1.log("readFile"));
            or_log(c, queued);
            node.set_immediate(c.say("immediate"));
            node.next_tick(c.say("nextTick"));
            c.log("main");
        },
        no_exit,
    )
}

/// Node prints a missing error as `null`.
fn null_or<E: std::fmt::Display>(r: &Result<(), E>) -> String {
    match r {
        Ok(()) => "null".to_string(),
        Err(e) => e.to_string(),
    }
}

fn p44() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let file =
                std::env::temp_dir().join(format!("eventloops-44-{}.txt", std::process::id()));
            let c1 = c.clone();
            let queued = node.write_file(file.clone(), "hello from the pool", move |node, r| {
                c1.log(format!("written {}", null_or(&r)));
                let c2 = c1.clone();
                let queued = node.read_file(file.clone(), move |node, text| {
                    let text = text.map(|t| String::from_utf8_lossy(&t).into_owned());
                    c2.log(format!("read {}", text.unwrap_or_else(|e| e.to_string())));
                    let c3 = c2.clone();
                    let queued = node.unlink(file.clone(), move |node, r| {
                        c3.log(format!("unlinked {}", null_or(&r)));
                        let c4 = c3.clone();
                        let queued = node.stat(file, move |_, r| {
                            let code = r.err().map_or_else(|| "none".to_string(), |e| e.code());
                            c4.log(format!("stat after unlink: {code}"));
                        });
                        or_log(&c3, queued);
                    });
                    or_log(&c2, queued);
                });
                or_log(&c1, queued);
            });
            or_log(c, queued);
        },
        no_exit,
    )
}

fn p45() -> io::Result<Vec<String>> {
    node_program(
        |node, c| {
            let c1 = c.clone();
            let queued = node.lookup("localhost", move |node: &mut Node, r| {
                let err = r
                    .err()
                    .map_or_else(|| "null".to_string(), |e| e.to_string());
                c1.log(format!("lookup done, error: {err}"));
                node.set_timeout(0, c1.say("timeout"));
                node.set_immediate(c1.say("immediate"));
            });
            or_log(c, queued);
        },
        no_exit,
    )
}
