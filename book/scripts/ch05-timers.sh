#!/usr/bin/env bash
# Regenerates the chapter 5 outputs the book shows:
#   book/src/output/ch05-run.txt       the classic example: 100 ms timer, I/O at 95 ms, 10 ms block
#   book/src/output/ch05-noblock.txt   the same with a callback that does not block
#   book/src/output/ch05-ctrl-c.txt    a 60 s timer interrupted by Ctrl-C
#   book/src/output/ch05-bench.txt     heap vs sorted list (only with --bench: takes minutes)
# Usage: bash book/scripts/ch05-timers.sh [--bench]
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit: write a file only if more than measurements changed
out=book/src/output
mkdir -p "$out"
cargo build -q --bin ch05-timers
exe=target/debug/ch05-timers

{
    echo "\$ cargo run --bin ch05-timers -- --port 0"
    "$exe" --port 0
} | emit "$out/ch05-run.txt"

{
    echo "\$ cargo run --bin ch05-timers -- --port 0 --block-ms 0"
    "$exe" --port 0 --block-ms 0
} | emit "$out/ch05-noblock.txt"

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
"$exe" --port 0 --timer-ms 60000 --connect-at-ms 60000 >"$tmp" &
pid=$!
sleep 0.5
kill -INT "$pid"
status=0
wait "$pid" || status=$?
{
    echo "\$ cargo run --bin ch05-timers -- --port 0 --timer-ms 60000 --connect-at-ms 60000"
    head -n 2 "$tmp"
    echo "^C"
    tail -n +3 "$tmp"
    echo "\$ echo \$?"
    echo "$status"
} | emit "$out/ch05-ctrl-c.txt"

if [[ "${1:-}" == "--bench" ]]; then
    {
        echo "\$ cargo bench -p eventloops-benches --bench timers   # $(nproc) cores, $(uname -sr)"
        cargo bench -q -p eventloops-benches --bench timers 2>/dev/null |
            awk '/^insert_pop/ { name = $1 }
                 /time:/ && !/%/ { match($0, /\[.*\]/); printf "%-40s %s\n", name, substr($0, RSTART + 1, RLENGTH - 2) }'
        echo "(low / estimate / high of the time to insert n timers and pop them all)"
    } | emit "$out/ch05-bench.txt"
fi
