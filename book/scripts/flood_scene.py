#!/usr/bin/env python3
"""One client sends lines as fast as it can for 8 seconds, three read everything, one never
reads: shows that the readers get every line, in order, and that only the one that never reads
is dropped. `flood_scene.py EXE [ARGS...]`; used by ch03-select.sh (and so ch04-registry.sh)."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time

SECONDS, PAD = 8, "x" * 80

exe, args = sys.argv[1], sys.argv[2:]
server = subprocess.Popen([exe, "--port", "0", *args], stdout=subprocess.PIPE, text=True)
log = [server.stdout.readline().rstrip("\n")]
port = int(log[0].rsplit(":", 1)[1])
threading.Thread(target=lambda: log.extend(l.rstrip("\n") for l in server.stdout),
                 daemon=True).start()


def join():
    s = socket.create_connection(("127.0.0.1", port))
    f = s.makefile("rb")
    hello = f.readline().decode()
    return s, f, int(hello.split()[4].rstrip(";"))


sender, _, sender_id = join()
readers = [join() for _ in range(3)]
sleeper = join()  # never reads again
time.sleep(0.5)
for _, f, _ in readers:  # skip the join notices
    while not f.readline().startswith(f"* client {sleeper[2]} joined".encode()):
        pass

results = {}


def read(name, f):
    expected, prefix = 0, f"client {sender_id}: ".encode()
    for line in f:
        if not line.startswith(prefix):
            continue  # a notice: someone joined or left
        body = line[len(prefix):].decode().rstrip("\n")
        if body == "done":
            break
        if body != f"{expected} {PAD}":
            results[name] = f"line {expected} was {body[:20]!r}…"
            return
        expected += 1
    results[name] = expected


threads = [threading.Thread(target=read, args=(f"client {i}", f)) for _, f, i in readers]
for t in threads:
    t.start()
start, sent = time.time(), 0
while time.time() - start < SECONDS:
    sender.sendall("".join(f"{sent + k} {PAD}\n" for k in range(100)).encode())
    sent += 100
sender.sendall(b"done\n")
for t in threads:
    t.join()

print(f"client {sender_id} sent {sent} lines in {SECONDS} s, without a pause of its own")
for name, got in sorted(results.items()):
    verdict = "all of them, in order" if got == sent else got
    print(f"{name} (reading) received {verdict}")
dropped = any(f"client {sleeper[2]} dropped" in line for line in log)
print(f"client {sleeper[2]} (never reading) was {'dropped' if dropped else 'NOT dropped'}")

server.send_signal(signal.SIGINT)
server.wait()
time.sleep(0.2)
print()
print(f"$ cargo run --bin {os.path.basename(exe)} -- --port 0")
for line in log:
    if line.startswith("stopped:"):
        print("^C")
    print(line)
