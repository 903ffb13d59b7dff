#!/usr/bin/env bash
# Regenerates chapter 8's outputs: the puzzles beside Node's answers and, with --bench, the
# dispatch benchmark of the book's loop beside Node.js and libuv on the same machine.
# --bench needs node and libuv1-dev (gcc ... -luv) for the peers in benches/peers/, built in /tmp.
# Run from anywhere: bash book/scripts/ch08-ticks.sh [--bench]
# Each file is written only if more than measurements changed (FORCE=1 writes them: see lib.sh);
# --bench always writes its figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit: write a file only if more than measurements changed
out=book/src/output
mkdir -p "$out"
cargo build -q --bin ch08-ticks
{
    echo '$ cargo run --bin ch08-ticks -- --only 18- --show-js'
    target/debug/ch08-ticks --only 18- --show-js
} | emit "$out/ch08-puzzle-18.txt"
{
    echo '$ cargo run --bin ch08-ticks'
    target/debug/ch08-ticks
} | emit "$out/ch08-ticks.txt"

if [[ "${1:-}" == "--bench" ]]; then
    peers=benches/peers
    cargo build -q --release --bin bench-loop
    gcc -O2 -o /tmp/uv_dispatch "$peers/uv_dispatch.c" -luv
    {
        echo "# $(nproc) cores, $(uname -sr), $(node --version), libuv $(pkg-config --modversion libuv 2>/dev/null || echo '?')"
        echo '$ cargo run --release --bin bench-loop'
        target/release/bench-loop
        echo "\$ node $peers/node_dispatch.js"
        node "$peers/node_dispatch.js"
        echo "\$ gcc -O2 -o /tmp/uv_dispatch $peers/uv_dispatch.c -luv && /tmp/uv_dispatch"
        /tmp/uv_dispatch
    } | FORCE=1 emit "$out/ch08-bench.txt"
fi
