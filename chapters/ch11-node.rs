//! `cargo run --release --bin ch11-node -- program.js`: runs a Node.js program, unchanged, on
//! the book's loop with QuickJS as the engine.

use clap::Parser;
use eventloops_node::{RunOptions, compare, run_file, trace};
use std::path::PathBuf;

/// Run a JavaScript file the way `node file.js` does, on the book's event loop (chapter 8's
/// Node layer on chapter 7's libuv-style loop) with QuickJS as the engine. stdout and the exit
/// code are Node's; `--trace` draws the run as a phase timeline, `--compare` runs `node` too
/// and shows both outputs side by side.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// The program to run (CommonJS, like `node program.js`).
    script: PathBuf,
    /// Arguments for the program (`process.argv.slice(2)`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
    /// Write the run as an SVG phase timeline, each box a JavaScript callback.
    #[arg(long, value_name = "OUT.SVG")]
    trace: Option<PathBuf>,
    /// Also run the program with `node` and show both outputs side by side.
    #[arg(long, conflicts_with = "trace")]
    compare: bool,
}

fn main() {
    let args = Args::parse();
    if args.compare {
        std::process::exit(compare(&args));
    }
    let options = RunOptions {
        args: args.args,
        trace: args.trace.is_some(),
        ..RunOptions::default()
    };
    let outcome = match run_file(&args.script, &options) {
        Ok(outcome) => outcome,
        Err(e) => {
            eprintln!("ch11-node: {e}");
            std::process::exit(70);
        }
    };
    if let (Some(path), Some(trace)) = (args.trace, outcome.trace) {
        let title = format!("ch11-node {}", args.script.display());
        if let Err(e) = std::fs::write(&path, trace::to_svg(&trace, &title)) {
            eprintln!("ch11-node: writing {}: {e}", path.display());
        }
    }
    std::process::exit(outcome.exit_code);
}

/// `--compare`: runs the program twice, as child processes (this program without `--compare`,
/// then `node`), and prints the two outputs side by side. Exits 0 if they agree, 1 if not.
fn compare(args: &Args) -> i32 {
    let me = match std::env::current_exe() {
        Ok(me) => me,
        Err(e) => {
            eprintln!("ch11-node: {e}");
            return 70;
        }
    };
    let ours = match compare::run("ch11-node", &me, &args.script, &args.args) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("ch11-node: {e}");
            return 70;
        }
    };
    let Some(version) = compare::node_version() else {
        print!("{}", ours.stdout);
        eprintln!("ch11-node: `node` is not installed, nothing to compare with");
        return ours.code;
    };
    let theirs = match compare::run(
        &format!("node {version}"),
        "node".as_ref(),
        &args.script,
        &args.args,
    ) {
        Ok(run) => run,
        Err(e) => {
            eprintln!("ch11-node: running node: {e}");
            return 70;
        }
    };
    println!("== {}", args.script.display());
    print!("{}", compare::side_by_side(&ours, &theirs));
    i32::from(compare::first_difference(&ours, &theirs).is_some())
}
