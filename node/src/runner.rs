//! Running a program, start to end, the way Node's `SpinEventLoop` does: the main module, its
//! ticks and microtasks, the loop until nothing keeps it alive, `'beforeExit'` (which may start
//! the loop again), and `'exit'`.

use crate::bindings;
use crate::boot;
use crate::checkpoint::{self, checkpoint};
use crate::env::{self, enter};
use crate::hooks::Hooks;
use crate::scope::{self, exiting, make_callback};
use crate::trace::{self, What};
use eventloops::ch07_phases::RunMode;
use eventloops::ch08_ticks::Node;
use std::io;
use std::path::Path;

/// How to run a program.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Arguments after the script's name (`process.argv.slice(2)`).
    pub args: Vec<String>,
    /// Record the run as a phase timeline.
    pub trace: bool,
}

/// How a program ended.
#[derive(Debug)]
pub struct Outcome {
    /// The process exit code Node would have exited with.
    pub exit_code: i32,
    /// The timeline, when tracing: draw it with [`trace::to_svg`](crate::trace::to_svg).
    pub trace: Option<Vec<trace::Step>>,
}

// ANCHOR: run_file
/// Runs `script` as `node script args...` would, on this thread, and returns its exit code.
/// Its output goes to this process's stdout and stderr.
pub fn run_file(script: &Path, options: &RunOptions) -> io::Result<Outcome> {
    if env::installed() {
        return Err(io::Error::other(
            "a program is already running on this thread",
        ));
    }
    scope::reset();
    checkpoint::reset();
    bindings::timers::reset();
    bindings::net::reset();
    let mut node = Node::boot()?;
    node.set_engine_checkpoint(checkpoint);
    if options.trace {
        node.enable_trace();
        trace::enable();
    }
    let mut argv = vec![std::env::current_exe()?.display().to_string()];
    argv.push(script.display().to_string());
    argv.extend(options.args.iter().cloned());
    boot::boot(argv).map_err(|e| io::Error::other(format!("booting the engine: {e}")))?;

    let result = run_program(&mut node, script);
    let trace = trace::take().map(|spans| trace::merge(node.trace(), spans));
    // The loop's callbacks and the sockets' callbacks hold JavaScript values: drop them before
    // the engine, which checks that nothing outlives it.
    drop(node);
    bindings::net::reset();
    bindings::timers::reset();
    drop(env::uninstall());
    Ok(Outcome {
        exit_code: result?,
        trace,
    })
}

fn run_program(node: &mut Node, script: &Path) -> io::Result<i32> {
    let script = script.display().to_string();
    node.run_main(|node| {
        make_callback(node, What::Main, |ctx, hooks| {
            Hooks::get(ctx, &hooks.run_main)?.call((script,))
        });
    });
    loop {
        if exiting().is_some() {
            break;
        }
        node.run(RunMode::Default)?;
        if exiting().is_some() {
            break;
        }
        // The loop ran dry: 'beforeExit' listeners may give it more to do.
        make_callback(node, What::Exit("beforeExit".into()), |ctx, hooks| {
            Hooks::get(ctx, &hooks.before_exit)?.call(())
        });
        node.run_ticks_and_microtasks();
        if exiting().is_some() || !node.alive() {
            break;
        }
    }
    if let Some(code) = exiting() {
        return Ok(code);
    }
    let started = trace::start(node);
    let code = enter(node, |ctx, hooks| {
        match Hooks::get(&ctx, &hooks.exit).and_then(|f| f.call::<_, i32>(())) {
            Ok(code) => code,
            Err(error) => {
                scope::report(&ctx, hooks, error);
                1
            }
        }
    });
    trace::finish(node, What::Exit("exit".into()), started);
    Ok(exiting().unwrap_or(code))
}
// ANCHOR_END: run_file
