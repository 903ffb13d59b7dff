#!/usr/bin/env bash
# Regenerates chapter 7's output and timeline: a traced run of the loop (a 100 ms timer, an I/O
# callback at ~95 ms that blocks 10 ms), and what real libuv does in three corners
# (benches/peers/uv_corners.c; needs gcc and libuv1-dev). Run from anywhere:
# bash book/scripts/ch07-phases.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=book/src/output
mkdir -p "$out"
cargo build -q --bin ch07-phases
{
    echo '$ cargo run --bin ch07-phases -- --svg book/src/images/ch07-timeline.svg'
    target/debug/ch07-phases --svg book/src/images/ch07-timeline.svg
} > "$out/ch07-phases.txt"
gcc -O2 -o /tmp/uv_corners benches/peers/uv_corners.c -luv
{
    echo '$ gcc -O2 -o /tmp/uv_corners benches/peers/uv_corners.c -luv && /tmp/uv_corners'
    /tmp/uv_corners
} > "$out/ch07-libuv-corners.txt"
echo "wrote $out/ch07-phases.txt, $out/ch07-libuv-corners.txt and book/src/images/ch07-timeline.svg"
