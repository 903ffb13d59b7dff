#!/usr/bin/env bash
# Regenerates book/src/output/ch03-line-cost.txt: the chat servers' CPU per byte for a flood of
# empty lines and for 1 KiB lines (release builds; Linux, for /proc).
# Usage: bash book/scripts/ch03-line-cost.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build -q --release --bin ch03-select --bin ch04-registry --bin ch06-pollers
{
    echo "\$ python3 book/scripts/line_cost.py target/release/ch03-select"
    python3 book/scripts/line_cost.py target/release/ch03-select
    echo "\$ python3 book/scripts/line_cost.py target/release/ch04-registry"
    python3 book/scripts/line_cost.py target/release/ch04-registry
    echo "\$ python3 book/scripts/line_cost.py target/release/ch06-pollers --backend epoll"
    python3 book/scripts/line_cost.py target/release/ch06-pollers --backend epoll
} >book/src/output/ch03-line-cost.txt
cat book/src/output/ch03-line-cost.txt
