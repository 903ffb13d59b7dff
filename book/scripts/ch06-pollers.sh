#!/usr/bin/env bash
# Regenerates the outputs that book/src/ch06-pollers.md shows, by running the real programs:
#   bash book/scripts/ch06-pollers.sh               # chat session, kqueue refusal, scaling demo
#   RUN_BENCH=1 bash book/scripts/ch06-pollers.sh   # ... and the criterion benchmark + plot
# Writes book/src/output/ch06-*.txt (and, with RUN_BENCH=1, book/src/images/ch06-wait-cost.svg
# and ch06-machine.txt, the machine the benchmark ran on),
# each only if more than measurements changed (FORCE=1 writes them all: see lib.sh).
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit: write a file only if more than measurements changed
out=book/src/output
mkdir -p "$out"

# Timings are measurements: build optimised.
cargo build -q --release --bin ch06-pollers
bin=target/release/ch06-pollers


# 1. The chat on epoll: two clients talk, one leaves, Ctrl-C.
log=$(mktemp)
"$bin" --port 0 --backend epoll > "$log" &
server=$!
for _ in $(seq 100); do grep -q '^listening on' "$log" && break; sleep 0.05; done
port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$log")
python3 - "$port" <<'PY' | emit "$out/ch06-chat-clients.txt"
import socket, sys, time
port = int(sys.argv[1])
def connect():
    s = socket.create_connection(("127.0.0.1", port)); s.settimeout(2); return s
def lines(s):
    time.sleep(0.2)
    try:
        return s.recv(4096).decode().splitlines()
    except socket.timeout:
        return []
ann = connect(); a = lines(ann)
bob = connect(); b = lines(bob); a += lines(ann)
ann.sendall(b"hi bob\n"); b += lines(bob)
bob.sendall(b"hi ann, bye\n"); a += lines(ann)
bob.close(); a += lines(ann)
for name, got in (("ann", a), ("bob", b)):
    print(f"--- what {name} saw")
    print("\n".join(got))
ann.close(); time.sleep(0.2)
PY
kill -INT "$server"
wait "$server"
echo "(exit status $?)" >> "$log"
{ echo "\$ cargo run --release --bin ch06-pollers -- --port 0 --backend epoll"; cat "$log"; } |
    emit "$out/ch06-chat-server.txt"
rm -f "$log"

# 2. kqueue asked for on Linux.
{
    echo "\$ cargo run --release --bin ch06-pollers -- --backend kqueue"
    "$bin" --port 0 --backend kqueue 2>&1 || echo "(exit status $?)"
} | emit "$out/ch06-kqueue-on-linux.txt"

# 3. The scaling demo: time per loop turn, 10 and 1000 idle connections, each backend.
{
    echo "\$ for b in select poll epoll; do for n in 10 1000; do"
    echo "    cargo run --release --bin ch06-pollers -- --port 0 --backend \$b --scaling \$n | tail -1"
    echo "  done; done"
    for b in select poll epoll; do
        for n in 10 1000; do
            "$bin" --port 0 --backend "$b" --scaling "$n" --turns 20000 | tail -1
        done
    done
} | emit "$out/ch06-scaling.txt"

# 4. The edge-triggered pitfall, as the tests show it.
{
    echo "\$ cargo test -p eventloops --test ch06_pollers edge_triggered"
    cargo test -p eventloops --test ch06_pollers edge_triggered -- --test-threads=1 2>/dev/null \
        | grep -E '^(test |test result)' | sed 's/finished in [0-9.]*s/finished in …/'
} | emit "$out/ch06-edge-tests.txt"

# 5. The benchmark behind the plot (slow: about a minute of measuring), its table and the plot.
#    Only on request: new measurements always differ, and the plot is drawn from them.
if [ "${RUN_BENCH:-0}" = 1 ]; then
    {
        echo "\$ nproc; uname -srm; grep -m1 'model name' /proc/cpuinfo"
        nproc
        uname -srm
        grep -m1 'model name' /proc/cpuinfo | sed 's/^model name\s*: //'
    } | FORCE=1 emit "$out/ch06-machine.txt"
    cargo bench -q -p eventloops-benches --bench pollers > /dev/null
    {
        echo "\$ cargo bench -p eventloops-benches --bench pollers"
        echo "\$ cargo run -p eventloops-benches --bin plot-pollers"
        cargo run -q -p eventloops-benches --bin plot-pollers | sed "s|$(pwd)/benches/../||"
    } | FORCE=1 emit "$out/ch06-wait-cost.txt"
fi
