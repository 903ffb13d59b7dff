//! `cargo run --bin ch08-ticks`: every ordering puzzle run on the book's loop, printed beside the
//! output Node.js recorded for the same program.

use clap::Parser;
use eventloops::ch08_ticks::puzzles::PUZZLES;
use eventloops::text::counted;

/// Run Node's ordering puzzles on the book's loop and compare with Node's own output.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Run only the puzzles whose name contains this.
    #[arg(long)]
    only: Option<String>,
    /// Skip the puzzles that open sockets on 127.0.0.1.
    #[arg(long)]
    no_network: bool,
    /// Print each puzzle's JavaScript too.
    #[arg(long)]
    show_js: bool,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let (mut ran, mut same) = (0, 0);
    for p in PUZZLES {
        if args
            .only
            .as_ref()
            .is_some_and(|o| !p.name.contains(o.as_str()))
            || (args.no_network && p.network)
        {
            continue;
        }
        let got = (p.run)()?;
        let expected: Vec<&str> = p.expected.lines().collect();
        let verdict = if got == expected {
            "same as Node"
        } else {
            "DIFFERS from Node"
        };
        ran += 1;
        same += usize::from(got == expected);
        println!("== {}: {verdict}", p.name);
        if args.show_js {
            for line in p.js.lines() {
                println!("   | {line}");
            }
        }
        println!("   {:<46} Node v20 (recorded)", "book's loop");
        for i in 0..got.len().max(expected.len()) {
            let a = got.get(i).map_or("", String::as_str);
            let b = expected.get(i).copied().unwrap_or("");
            let mark = if a == b { ' ' } else { '!' };
            println!(" {mark} {a:<46} {b}");
        }
    }
    let verb = if same == 1 { "prints" } else { "print" };
    let puzzles = counted(ran, "puzzle", "puzzles");
    println!("{same} of {puzzles} {verb} what Node printed");
    if same != ran {
        std::process::exit(1);
    }
    Ok(())
}
