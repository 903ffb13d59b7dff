#!/usr/bin/env bash
# Regenerates chapter 11's outputs (book/src/output/ch11-*.txt) and its timeline image:
#   ch11-run.txt          two programs run with ch11-node, as `node` would run them
#   ch11-compare.txt      --compare: ch11-node and node side by side
#   ch11-conformance.txt  every program in tests/node-ordering/, on ch11-node, against Node's recording
#   ch11-race.txt         setTimeout(0) vs setImmediate from the main module, 200 runs each
#   ch11-claim-NN.txt     appendix D's programs, on ch11-node and on node side by side
#   ch11-bench.txt        benches/peers/node_dispatch.js on ch11-node (release) and on node
#   ch11-bench-cpu.txt    CPU time of book/scripts/ch11-immediate-chain.js, best of 7 (perf stat)
#   images/ch11-trace.svg --trace of tests/node-ordering/21-socket-close-after-check.js
# Needs node. Run from anywhere: bash book/scripts/ch11-node.sh   (--bench-only: just the bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=book/src/output
mkdir -p "$out"
programs=tests/node-ordering

cargo build -q --release --bin ch11-node
exe=$PWD/target/release/ch11-node

if [[ "${1:-}" != "--bench-only" ]]; then
    {
        for p in 33-microtasks-queue-ticks.js 65-exit-inside-a-tick.js; do
            echo "\$ cargo run --release --bin ch11-node -- $programs/$p; echo \"exit code \$?\""
            (cd "$programs" && "$exe" "$p") && code=0 || code=$?
            echo "exit code $code"
        done
    } >"$out/ch11-run.txt" 2>/dev/null

    {
        echo "\$ cargo run --release --bin ch11-node -- --compare $programs/97-esm-promises-before-nexttick.mjs"
        (cd "$programs" && "$exe" --compare 97-esm-promises-before-nexttick.mjs) || true
    } >"$out/ch11-compare.txt"

    (cd "$programs" && "$exe" --trace "$OLDPWD/book/src/images/ch11-trace.svg" \
        21-socket-close-after-check.js >/dev/null)

    {
        echo "# every program in $programs/, run unchanged on ch11-node; stdout and exit code"
        echo "# compared with what node $(node --version) printed (the .expected and .exit files)"
        same=0
        total=0
        for f in "$programs"/*.js "$programs"/*.mjs; do
            name=$(basename "$f")
            stem=${name%.*}
            want_code=$(cat "$programs/$stem.exit" 2>/dev/null || echo 0)
            got=$(cd "$programs" && "$exe" "$name" 2>/dev/null) && code=0 || code=$?
            total=$((total + 1))
            if [[ "$got"$'\n' == "$(cat "$programs/$stem.expected")"$'\n' && "$code" == "$want_code" ]]; then
                same=$((same + 1))
                verdict="same"
            else
                verdict="DIFFERS"
            fi
            printf '%-52s %-7s exit %s\n' "$name" "$verdict" "$code"
        done
        echo "$same of $total programs print what Node printed, with Node's exit code"
    } >"$out/ch11-conformance.txt"

    {
        echo "# book/scripts/ch11-race.js, 200 runs each, counting which line came first"
        for who in node ch11-node; do
            bin=node
            [[ "$who" == ch11-node ]] && bin=$exe
            first_timeout=0
            first_immediate=0
            for _ in $(seq 200); do
                first=$("$bin" book/scripts/ch11-race.js | head -n 1)
                if [[ "$first" == timeout ]]; then
                    first_timeout=$((first_timeout + 1))
                else
                    first_immediate=$((first_immediate + 1))
                fi
            done
            printf '%-10s timeout first: %3d   immediate first: %3d\n' "$who" "$first_timeout" "$first_immediate"
        done
    } >"$out/ch11-race.txt"

    for p in 78-timers-are-not-a-fifo.js 81-ticks-drain-after-every-callback.js \
        82-poll-does-not-wait-while-immediates-wait.js 83-timers-run-at-the-end-of-a-turn.js \
        76-timer-and-immediate-from-a-timer.js 80-main-timeout-vs-immediate-after-busy-wait.js \
        09-net-immediate-before-timeout.js 97-esm-promises-before-nexttick.mjs \
        98-cjs-promises-after-nexttick.js 55-microtasks-starve-the-loop.js; do
        {
            echo "\$ cargo run --release --bin ch11-node -- --compare $programs/$p"
            (cd "$programs" && "$exe" --compare "$p" | tail -n +2) || true
        } >"$out/ch11-claim-${p%%-*}.txt"
    done
fi

{
    echo "# $(nproc) cores, $(uname -sr), node $(node --version), load average $(cut -d' ' -f1 /proc/loadavg)"
    echo "\$ cargo run --release --bin ch11-node -- benches/peers/node_dispatch.js"
    "$exe" benches/peers/node_dispatch.js
    echo "\$ node benches/peers/node_dispatch.js"
    node benches/peers/node_dispatch.js
} >"$out/ch11-bench.txt"

# CPU time is steadier than wall time on a shared machine: the best of 7 runs of each.
best_cpu() {
    local best=""
    for _ in 1 2 3 4 5 6 7; do
        local ms
        ms=$(perf stat -x, -e task-clock "$@" 2>&1 >/dev/null | awk -F, '/task-clock/ {print $1}')
        if [[ -z "$best" ]] || awk "BEGIN {exit !($ms < $best)}"; then best=$ms; fi
    done
    printf '%.0f ms' "$best"
}
if command -v perf >/dev/null; then
    {
        echo "# CPU time (perf stat -e task-clock) of book/scripts/ch11-immediate-chain.js, best of 7"
        echo "ch11-node  $(best_cpu "$exe" book/scripts/ch11-immediate-chain.js)"
        echo "node       $(best_cpu node book/scripts/ch11-immediate-chain.js)"
    } >"$out/ch11-bench-cpu.txt"
fi
echo "wrote $out/ch11-*.txt and book/src/images/ch11-trace.svg"
