#!/usr/bin/env bash
# Regenerates book/src/output/ch03-bench.txt: the time of one select(2) and one poll(2) call over
# n pipes with one ready, from the criterion benchmark benches/ch03_select.rs.
# Usage: bash book/scripts/ch03-bench.sh   (FORCE=1 to write the new figures: see lib.sh)
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit: write a file only if more than measurements changed
out=book/src/output/ch03-bench.txt
{
    echo "\$ cargo bench -p eventloops-benches --bench ch03_select   # $(nproc) cores, $(uname -sr)"
    cargo bench -q -p eventloops-benches --bench ch03_select 2>/dev/null |
        awk '/^wait_one_ready\// { name = $1 }
             /time:/ && !/%/ { match($0, /\[.*\]/); printf "%-28s %s\n", name, substr($0, RSTART + 1, RLENGTH - 2) }'
    echo "(low / estimate / high of the time for one call)"
} | emit "$out"
