#!/usr/bin/env bash
# Regenerates the output shown in book/src/ch02-nonblocking.md:
#   book/src/output/ch02-idle.txt     the busy-polling server, idle, reporting its CPU every second
#   book/src/output/ch02-compare.txt  CPU used by each chapter's server while idle for 5 s
#   book/src/output/ch02-run.txt      a session: two clients at once, one that never reads
# Usage: bash book/scripts/ch02-nonblocking.sh   (from anywhere; needs cargo and python3)
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit: write a file only if more than measurements changed
out=book/src/output
mkdir -p "$out"
cargo build --quiet --release --bin ch01-loop --bin ch02-nonblocking

# 1. Idle for 5 seconds with a report every second, then Ctrl-C.
python3 - target/release/ch02-nonblocking <<'PY' | emit "$out/ch02-idle.txt"
import re, signal, subprocess, sys, time
p = subprocess.Popen([sys.argv[1], "--port", "0", "--report-every", "1"],
                     stdout=subprocess.PIPE, text=True)
print("$ cargo run --release --bin ch02-nonblocking -- --report-every 1   # no client; Ctrl-C after 5 s")
print(re.sub(r":\d+$", ":PORT", p.stdout.readline().strip()))
time.sleep(5.05)
p.send_signal(signal.SIGINT)
rest, _ = p.communicate()
print(rest, end="")
print(f"(exit status {p.returncode})")
PY

# 2. The same 5 idle seconds for chapter 1's blocking server and chapter 2's busy one, measured
#    from outside: utime + stime from /proc/PID/stat.
# (Whether other programs competed for the cores is not worth a rewrite: masked.)
competing='s/ \(other programs were competing for the cores\)//'
python3 - target/release/ch01-loop target/release/ch02-nonblocking <<'PY' | emit "$out/ch02-compare.txt" "$competing"
import os, signal, subprocess, sys, time
tick = os.sysconf("SC_CLK_TCK")
load = os.getloadavg()[0]
busy = " (other programs were competing for the cores)" if load > 1 else ""
print(f"machine: {os.uname().sysname} {os.uname().release}, {os.cpu_count()} cores, "
      f"load average {load:.1f}{busy}")
print(f"{'server':<18} {'idle for':>8} {'CPU used':>9} {'share of one core':>18}")
for exe, extra in [(sys.argv[1], []), (sys.argv[2], ["--report-every", "0"])]:
    p = subprocess.Popen([exe, "--port", "0"] + extra, stdout=subprocess.PIPE, text=True)
    p.stdout.readline()
    def cpu():
        fields = open(f"/proc/{p.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick  # utime, stime
    c0, t0 = cpu(), time.monotonic()
    time.sleep(5)
    used, wall = cpu() - c0, time.monotonic() - t0
    p.send_signal(signal.SIGINT); p.communicate()
    print(f"{os.path.basename(exe):<18} {wall:>7.2f}s {used:>8.2f}s {100 * used / wall:>17.0f}%")
PY

# 3. A session: clients 1 and 2 talk at once; client 3 floods without reading, is paused
#    (backpressure), then resets its connection.
# How often the flood pauses and resumes client 3 depends on timing: masked.
python3 - target/release/ch02-nonblocking <<'PY' | emit "$out/ch02-run.txt" '/^resumed reading/d'
import re, signal, socket, struct, subprocess, sys, threading, time
p = subprocess.Popen([sys.argv[1], "--port", "0", "--report-every", "0"],
                     stdout=subprocess.PIPE, text=True)
first = p.stdout.readline().strip()
port = int(first.rsplit(":", 1)[1])
lines = [first]
def reader():
    for line in p.stdout:
        lines.append(line.strip())
t = threading.Thread(target=reader); t.start()
one = socket.create_connection(("127.0.0.1", port))
two = socket.create_connection(("127.0.0.1", port))
for i in range(2):
    one.sendall(b"one %d\n" % i); two.sendall(b"two %d\n" % i)
    assert one.recv(100) == b"one %d\n" % i and two.recv(100) == b"two %d\n" % i
time.sleep(0.1)
greedy = socket.create_connection(("127.0.0.1", port))
greedy.settimeout(1.0)
sent = 0
try:
    while True:
        sent += greedy.send(b"x" * 65536)
except socket.timeout:
    pass
one.sendall(b"still served\n"); assert one.recv(100) == b"still served\n"
greedy.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
greedy.close()
time.sleep(0.2)
one.close(); two.close()
time.sleep(0.2)
p.send_signal(signal.SIGINT); p.wait(); t.join()
print("$ cargo run --release --bin ch02-nonblocking -- --report-every 0")
for line in lines:
    line = re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", line)
    print(line)
print(f"(exit status {p.returncode}; client 3 managed to send {sent // 1024} KiB before its send() blocked)")
PY
