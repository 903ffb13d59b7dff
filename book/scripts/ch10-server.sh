#!/usr/bin/env bash
# Chapter 10's measurements. Builds the book's server and every peer, starts each server, loads
# it, and prints one table: requests/s and server CPU per request, keep-alive and pipelined.
#
#   bash book/scripts/ch10-server.sh                 # the table (book/src/output/ch10-table.txt)
#   bash book/scripts/ch10-server.sh SECTION ...     # run idle syscalls lifecycle profile
#                                                    # optimisations workers threads table
#   bash book/scripts/ch10-server.sh all             # every section, the table last
#   ROUNDS=5 SECS=5 bash book/scripts/ch10-server.sh # more runs per figure (the median is shown)
#
# Needs: wrk, nginx (nginx-light), node, gcc, strace, perf (for `profile`); each server runs on
# 127.0.0.1 ports 18110-18161 (and 7010 for `run`). Measure on a quiet machine: `uptime` shows the load, and the
# table records it.
set -euo pipefail
cd "$(dirname "$0")/../.."
export TMP_DIR=/tmp/ch10-bench
mkdir -p "$TMP_DIR"

cargo build -q --release --bin ch10-server --bin ch01-loop
cargo build -q --release -p eventloops-benches --bin ch10-load --bin plot-ch10
gcc -O2 -o "$TMP_DIR/c_epoll" benches/peers/c_epoll.c
# The tokio peer is its own workspace (its Cargo.toml has a [workspace] table): building it
# does not touch the book's workspace or lock file.
cargo build -q --release --manifest-path benches/peers/tokio_srv/Cargo.toml

exec python3 book/scripts/ch10_bench.py "$@"
