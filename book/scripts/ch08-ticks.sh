#!/usr/bin/env bash
# Regenerates chapter 8's outputs: the puzzles beside Node's answers, and the dispatch benchmark
# of the book's loop beside Node.js and libuv on the same machine.
# Needs node and libuv1-dev (gcc ... -luv) for the peers in benches/peers/, built in /tmp.
# Run from anywhere: bash book/scripts/ch08-ticks.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=book/src/output
mkdir -p "$out"
cargo build -q --bin ch08-ticks
{
    echo '$ cargo run --bin ch08-ticks -- --only 18- --show-js'
    target/debug/ch08-ticks --only 18- --show-js
} > "$out/ch08-puzzle-18.txt"
{
    echo '$ cargo run --bin ch08-ticks'
    target/debug/ch08-ticks
} > "$out/ch08-ticks.txt"

peers=benches/peers
cargo build -q --release --bin bench-loop
gcc -O2 -o /tmp/uv_dispatch "$peers/uv_dispatch.c" -luv
{
    echo "# $(nproc) cores, $(uname -sr), $(node --version), libuv $(pkg-config --modversion libuv 2>/dev/null || echo '?')"
    echo '$ cargo run --release --bin bench-loop'
    target/release/bench-loop
    echo '$ node node_dispatch.js'
    node "$peers/node_dispatch.js"
    echo '$ gcc -O2 -o /tmp/uv_dispatch uv_dispatch.c -luv && /tmp/uv_dispatch'
    /tmp/uv_dispatch
} > "$out/ch08-bench.txt"
echo "wrote $out/ch08-puzzle-18.txt, $out/ch08-ticks.txt, $out/ch08-bench.txt"
