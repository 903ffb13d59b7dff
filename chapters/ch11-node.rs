//! `cargo run --release --bin ch11-node -- program.js`: runs a Node.js program, unchanged, on
//! the book's loop with QuickJS as the engine.

use clap::Parser;
use eventloops_node::{RunOptions, run_file};
use std::path::PathBuf;

/// Run a JavaScript file the way `node file.js` does, on the book's event loop (chapter 8's
/// Node layer on chapter 7's libuv-style loop) with QuickJS as the engine. stdout and the exit
/// code are Node's; `--trace` draws the run as a phase timeline.
#[derive(Parser)]
#[command(version, about)]
struct Args {
    /// The program to run (CommonJS, like `node program.js`).
    script: PathBuf,
    /// Arguments for the program (`process.argv.slice(2)`).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
    /// Write the run as an SVG phase timeline, each box a JavaScript callback.
    #[arg(long, value_name = "OUT.SVG")]
    trace: Option<PathBuf>,
}

fn main() {
    let args = Args::parse();
    let options = RunOptions {
        args: args.args,
        trace: args.trace.is_some(),
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
        if let Err(e) = std::fs::write(&path, trace.to_svg(&title)) {
            eprintln!("ch11-node: writing {}: {e}", path.display());
        }
    }
    std::process::exit(outcome.exit_code);
}
