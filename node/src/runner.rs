//! Running a program, start to end, the way Node's `SpinEventLoop` does: the main module, its
//! ticks and microtasks, the loop until nothing keeps it alive, `'beforeExit'` (which may start
//! the loop again), and `'exit'`.

use crate::bindings;
use crate::boot;
use crate::checkpoint::{self, checkpoint};
use crate::env::{self, enter};
use crate::hooks::Hooks;
use crate::plugins::{self, Plugins, Program};
use crate::scope::{self, exiting, make_callback};
use crate::trace::{self, What};
use eventloops::ch07_phases::RunMode;
use eventloops::ch08_ticks::Node;
use std::io;
use std::path::Path;

/// How to run a program.
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Arguments after the script's name (`process.argv.slice(2)`).
    pub args: Vec<String>,
    /// Record the run as a phase timeline.
    pub trace: bool,
    /// Keep what the program prints on stdout in [`Outcome::stdout`] instead of printing it.
    pub capture_stdout: bool,
    /// The functions the run uses for three of its decisions (the exercises swap in theirs).
    pub plugins: Plugins,
}

/// How a program ended.
#[derive(Debug)]
pub struct Outcome {
    /// The process exit code Node would have exited with.
    pub exit_code: i32,
    /// The timeline, when tracing: draw it with [`trace::to_svg`](crate::trace::to_svg).
    pub trace: Option<Vec<trace::Step>>,
    /// What the program printed, when captured.
    pub stdout: Option<String>,
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
    plugins::install(options.plugins);
    bindings::stdio::capture(options.capture_stdout);
    bindings::timers::reset();
    bindings::net::reset();
    // Declared before the loop, so that it is dropped after it, panics included.
    let teardown = Teardown;
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
    drop(node);
    drop(teardown);
    let stdout = bindings::stdio::take_captured();
    Ok(Outcome {
        exit_code: result?,
        trace,
        stdout,
    })
}

/// Frees the engine after the loop, also when a panic unwinds through `run_file`: the loop's
/// callbacks and the sockets' callbacks hold JavaScript values, and QuickJS checks that none
/// outlives its runtime. (Declare it before the loop: locals are dropped in reverse order.)
struct Teardown;

impl Drop for Teardown {
    fn drop(&mut self) {
        bindings::net::reset();
        bindings::timers::reset();
        drop(env::uninstall());
        trace::take();
    }
}

fn run_program(node: &mut Node, script: &Path) -> io::Result<i32> {
    let script = script.display().to_string();
    node.run_main(|node| {
        make_callback(node, What::Main, |ctx, hooks| {
            Hooks::get(ctx, &hooks.run_main)?.call((script,))
        });
    });
    (plugins::active().run_to_the_end)(&mut NodeProgram { node })
}
// ANCHOR_END: run_file

// ANCHOR: run_to_the_end
/// After the main module, Node's `SpinEventLoop`: run the loop until it is empty; then
/// `'beforeExit'`, which may give it more to do, and run it again; then `'exit'`. At any point
/// `process.exit()` ends it all with its code, and nothing else runs.
pub fn run_to_the_end(program: &mut dyn Program) -> io::Result<i32> {
    loop {
        if let Some(code) = program.exit_requested() {
            return Ok(code);
        }
        program.run_loop()?;
        if let Some(code) = program.exit_requested() {
            return Ok(code);
        }
        program.emit_before_exit();
        if let Some(code) = program.exit_requested() {
            return Ok(code);
        }
        if !program.alive() {
            break;
        }
    }
    let code = program.emit_exit();
    Ok(program.exit_requested().unwrap_or(code))
}
// ANCHOR_END: run_to_the_end

/// The running program: chapter 8's `Node` with the engine booted.
struct NodeProgram<'a> {
    node: &'a mut Node,
}

impl Program for NodeProgram<'_> {
    fn run_loop(&mut self) -> io::Result<()> {
        self.node.run(RunMode::Default)?;
        Ok(())
    }

    fn alive(&self) -> bool {
        self.node.alive()
    }

    fn emit_before_exit(&mut self) {
        make_callback(self.node, What::Exit("beforeExit".into()), |ctx, hooks| {
            Hooks::get(ctx, &hooks.before_exit)?.call(())
        });
        self.node.run_ticks_and_microtasks();
    }

    fn emit_exit(&mut self) -> i32 {
        let started = trace::start(self.node);
        let code = enter(self.node, |ctx, hooks| {
            match Hooks::get(&ctx, &hooks.exit).and_then(|f| f.call::<_, i32>(())) {
                Ok(code) => code,
                Err(error) => {
                    scope::report(&ctx, hooks, error);
                    1
                }
            }
        });
        trace::finish(self.node, What::Exit("exit".into()), started);
        code
    }

    fn exit_requested(&self) -> Option<i32> {
        exiting()
    }
}
