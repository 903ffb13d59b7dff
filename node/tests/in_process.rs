//! The runtime as a library: programs run in this process, one after another on one thread,
//! with stdout captured; `process.exit()` ends the program, not the test; the engine is torn
//! down cleanly each time (QuickJS aborts if a JavaScript value outlives it).

use eventloops_node::{RunOptions, run_file};
use std::path::PathBuf;

fn program(name: &str, source: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("ch11-in-process");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, source).unwrap();
    path
}

fn run(name: &str, source: &str) -> (String, i32) {
    let options = RunOptions {
        capture_stdout: true,
        ..RunOptions::default()
    };
    let outcome = run_file(&program(name, source), &options).unwrap();
    (outcome.stdout.unwrap(), outcome.exit_code)
}

#[test]
fn programs_run_one_after_another_on_one_thread() {
    for i in 0..3 {
        let (out, code) = run(
            "a.js",
            &format!(
                "setImmediate(() => {{\n\
                   console.log('immediate');\n\
                   setTimeout(() => console.log('timer {i}'), 1);\n\
                 }});\n\
                 Promise.resolve().then(() => console.log('promise'));"
            ),
        );
        assert_eq!(out, format!("promise\nimmediate\ntimer {i}\n"));
        assert_eq!(code, 0);
    }
}

#[test]
fn process_exit_ends_the_program_not_the_caller() {
    let (out, code) = run(
        "exit.js",
        "process.on('exit', (c) => console.log('exit', c));\n\
         const t = setInterval(() => {}, 1000);\n\
         setTimeout(() => { console.log('bye'); process.exit(3); console.log('never'); }, 1);",
    );
    assert_eq!(out, "bye\nexit 3\n");
    assert_eq!(code, 3);
}

#[test]
fn an_uncaught_exception_ends_with_code_1_and_values_left_behind_are_freed() {
    let (out, code) = run(
        "throw.js",
        "const keep = setInterval(() => {}, 1000);\n\
         const p = new Promise(() => {});\n\
         require('net').createServer().listen(0, '127.0.0.1', () => { throw new Error('x'); });\n\
         process.on('exit', (c) => console.log('exit', c));",
    );
    assert_eq!(out, "exit 1\n");
    assert_eq!(code, 1);
}

#[test]
fn a_missing_file_is_a_clear_error_and_exit_code_1() {
    let options = RunOptions {
        capture_stdout: true,
        ..RunOptions::default()
    };
    let missing = std::env::temp_dir().join("ch11-no-such-file.js");
    let outcome = run_file(&missing, &options).unwrap();
    assert_eq!(outcome.exit_code, 1);
}

#[test]
fn a_syntax_error_exits_with_code_1() {
    let (out, code) = run("syntax.js", "console.log('before');\nlet = = 1;\n");
    assert_eq!(out, "");
    assert_eq!(code, 1);
}

#[test]
fn unsupported_modules_say_so() {
    let (out, code) = run(
        "http.js",
        "try { require('http'); } catch (e) { console.log(e.message); }\n\
         try { require('fs').mkdir('x', () => {}); } catch (e) { console.log(e.message); }\n\
         try { process.on('SIGINT', () => {}); } catch (e) { console.log(e.message); }",
    );
    assert_eq!(
        out,
        "not supported by this runtime: require('http')\n\
         not supported by this runtime: fs.mkdir\n\
         not supported by this runtime: signal events (process.on('SIGINT'))\n"
    );
    assert_eq!(code, 0);
}
