#!/usr/bin/env bash
# Records what Node.js prints for programs in this directory, and refuses a recording that is a
# race: each program runs 20 times alone, then 20 times beside two busy-looping (nice'd)
# spinners, and its output and exit code must be the same every time. Writes NN-name.expected
# and, when the exit code is not 0, NN-name.exit.
#
# Usage: bash tests/node-ordering/record.sh 50-await-vs-then.js [more.js or .mjs ...]
# RUNS=5 for a quick look while writing a program.
set -euo pipefail
cd "$(dirname "$0")"
runs=${RUNS:-20}
spinners=()
stop_spinners() {
    for pid in "${spinners[@]}"; do kill "$pid" 2>/dev/null || true; done
    spinners=()
}
trap stop_spinners EXIT
for js in "$@"; do
    file=$(basename "$js")
    name=${file%.*}
    first=""
    for mode in alone contended; do
        if [ "$mode" = contended ]; then
            for _ in 1 2; do nice -n 19 sh -c 'while :; do :; done' & spinners+=($!); done
        fi
        for _ in $(seq "$runs"); do
            set +e
            out=$(node "$file" 2>/dev/null)
            code=$?
            set -e
            this="$out"$'\n'"exit $code"
            if [ -z "$first" ]; then
                first="$this"
            elif [ "$this" != "$first" ]; then
                echo "$name: not stable ($mode):" >&2
                diff <(echo "$first") <(echo "$this") >&2 || true
                exit 1
            fi
        done
        stop_spinners
    done
    node "$file" > "$name.expected" 2>/dev/null && code=0 || code=$?
    if [ "$code" -ne 0 ]; then echo "$code" > "$name.exit"; else rm -f "$name.exit"; fi
    echo "$name: stable over $((2 * runs)) runs, exit $code"
done
