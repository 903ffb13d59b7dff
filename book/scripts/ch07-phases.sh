#!/usr/bin/env bash
# Regenerates chapter 7's output and timeline: a traced run of the loop (a 100 ms timer, an I/O
# callback at ~95 ms that blocks 10 ms), and what real libuv does in three corners
# (benches/peers/uv_corners.c; needs gcc and libuv1-dev). Run from anywhere:
# bash book/scripts/ch07-phases.sh
# Each file is written only if more than timings changed (FORCE=1 writes them: see lib.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit, settle: write a file only if more than measurements changed
out=book/src/output
svg=book/src/images/ch07-timeline.svg
mkdir -p "$out"
cargo build -q --bin ch07-phases
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/uv_corners" benches/peers/uv_corners.c -luv
{
    echo '$ gcc -O2 -o /tmp/uv_corners benches/peers/uv_corners.c -luv && /tmp/uv_corners'
    "$tmp/uv_corners"
} | emit "$out/ch07-libuv-corners.txt"
{
    echo "\$ cargo run --bin ch07-phases -- --svg $svg"
    # The program writes where it is told; the page shows the path a reader would give.
    target/debug/ch07-phases --svg "$tmp/timeline.svg" | sed "s|$tmp/timeline.svg|$svg|"
} > "$tmp/phases.txt"
cat "$tmp/phases.txt"
# The text and the timeline show the same run: both are written, or neither.
if differs "$tmp/phases.txt" "$out/ch07-phases.txt" || differs "$tmp/timeline.svg" "$svg"; then
    export FORCE=1
fi
settle "$tmp/phases.txt" "$out/ch07-phases.txt"
settle "$tmp/timeline.svg" "$svg"
