#!/usr/bin/env bash
# Regenerates the output shown in book/src/ch01-loop.md:
#   book/src/output/ch01-one-at-a-time.txt  two clients against the blocking server (timeline)
#   book/src/output/ch01-threads.txt        the same two clients against `--threads`
#   book/src/output/ch01-threadcost.txt     threads and memory of `--threads` at N idle clients
# Usage: bash book/scripts/ch01-loop.sh   (from anywhere; needs cargo and python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit: write a file only if more than measurements changed
out=book/src/output
mkdir -p "$out"
cargo build --quiet --release --bin ch01-loop --bin ch01-threadcost
server=target/release/ch01-loop

# Two clients, A then B, against the server; every event stamped with the time since start.
timeline() {
    python3 - "$server" "$@" <<'PY'
import socket, subprocess, sys, threading, time, signal

server_cmd = [sys.argv[1], "--port", "0"] + sys.argv[2:]
t0 = time.monotonic()
events = []
lock = threading.Lock()

def log(who, what):
    with lock:
        events.append((time.monotonic() - t0, who, what))

proc = subprocess.Popen(server_cmd, stdout=subprocess.PIPE, text=True)
first = proc.stdout.readline().strip()
log("server", first)
port = int(first.rsplit(":", 1)[1])

def read_server():
    for line in proc.stdout:
        log("server", line.strip())
reader = threading.Thread(target=read_server)
reader.start()

def client(name, message):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(message)
    log(name, f"connect() returned; sent {message.decode().strip()!r}")
    return s

def expect_echo(name, s):
    data = s.recv(100)
    log(name, f"got back {data.decode().strip()!r}")

def at(t):
    time.sleep(max(0, t - (time.monotonic() - t0)))

at(0.1); a = client("A", b"hello from A\n"); expect_echo("A", a)
at(0.5); b = client("B", b"hello from B\n")
waiter = threading.Thread(target=expect_echo, args=("B", b)); waiter.start()
at(1.0); a.sendall(b"A again\n"); log("A", "sent 'A again'"); expect_echo("A", a)
at(1.5); a.close(); log("A", "closed")
waiter.join()
at(2.0); b.close(); log("B", "closed")
at(2.2); proc.send_signal(signal.SIGINT); log("(Ctrl-C)", "SIGINT sent to the server")
proc.wait(); reader.join()
log("server", f"exit status {proc.returncode}")

print(f"{'time':>6}  {'who':<8}  what")
for t, who, what in sorted(events, key=lambda e: e[0]):
    # Client ports change from run to run; hide them so the page does not churn.
    what = what.replace(f":{port}", ":PORT")
    import re
    what = re.sub(r"from 127\.0\.0\.1:\d+", "from 127.0.0.1:CLIENTPORT", what)
    print(f"{t:5.2f}s  {who:<8}  {what}")
PY
}

timeline | emit "$out/ch01-one-at-a-time.txt"
timeline --threads | emit "$out/ch01-threads.txt"

{
    echo "machine: $(uname -sr), $(nproc) cores; Rust's default thread stack 2 MiB; ulimit -s $(ulimit -s) KiB"
    echo "command: target/release/ch01-threadcost --counts 100,1000,5000"
    echo
    target/release/ch01-threadcost --counts 100,1000,5000
} | emit "$out/ch01-threadcost.txt"
