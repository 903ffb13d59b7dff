#!/usr/bin/env python3
"""Runs a chat server with its fd limit lowered to 64, connects 80 clients, and shows what the
server did about the 21 or so it had no fd for: `emfile_scene.py EXE [ARGS...]`.

Prints what the clients saw, the server's CPU and log lines while at the limit, and the
server's log (abridged: runs of joins and leaves are cut to their first and last line).
Used by ch03-select.sh (and so ch04-registry.sh); needs Linux for /proc."""
import os
import resource
import signal
import socket
import subprocess
import sys
import threading
import time

LIMIT, CROWD, LEAVING = 64, 80, 30


def lower_fd_limit():
    resource.setrlimit(resource.RLIMIT_NOFILE, (LIMIT, LIMIT))


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def welcomed(client):
    """Whether the server has written to this client (its welcome line)."""
    try:
        return client.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) != b""
    except BlockingIOError:
        return False


exe, args = sys.argv[1], sys.argv[2:]
server = subprocess.Popen([exe, "--port", "0", *args], stdout=subprocess.PIPE, text=True,
                          preexec_fn=lower_fd_limit)
log = [server.stdout.readline().rstrip("\n")]
port = int(log[0].rsplit(":", 1)[1])
threading.Thread(target=lambda: log.extend(l.rstrip("\n") for l in server.stdout),
                 daemon=True).start()

crowd = [socket.create_connection(("127.0.0.1", port)) for _ in range(CROWD)]
time.sleep(1)
inside = [c for c in crowd if welcomed(c)]
waiting = [c for c in crowd if not welcomed(c)]
print(f"{CROWD} clients connect to a server whose fd limit is {LIMIT}:")
print(f"  {len(inside)} are welcomed, {len(waiting)} wait in the listen queue")

lines_before, cpu_before = len(log), cpu_seconds(server.pid)
time.sleep(2)
print("the next 2 seconds, at the limit:")
print(f"  server CPU {cpu_seconds(server.pid) - cpu_before:.2f} s, "
      f"{len(log) - lines_before} lines logged")

# Leave politely: end of file first, then read what the server still had for us, then close
# (closing with unread data would make the kernel send a reset instead).
for c in inside[:LEAVING]:
    c.shutdown(socket.SHUT_WR)
time.sleep(1)
for c in inside[:LEAVING]:
    c.settimeout(2)
    while c.recv(65536):
        pass
    c.close()
print(f"{LEAVING} welcomed clients leave:")
print(f"  {sum(welcomed(c) for c in waiting)} of the {len(waiting)} waiting are welcomed")

server.send_signal(signal.SIGINT)
server.wait()
time.sleep(0.2)

print()
print(f"$ (ulimit -n {LIMIT}; cargo run --bin {os.path.basename(exe)} -- --port 0)")
run, kind = [], None
for line in log + [""]:
    this = "joined" if " joined from " in line else "left" if line.endswith(")") and " left " in line else None
    if this != kind and run:
        print(run[0])
        if len(run) > 2:
            print(f"... ({len(run) - 2} more)")
        if len(run) > 1:
            print(run[-1])
        run = []
    kind = this
    if this:
        run.append(line)
    elif line:
        if line.startswith("stopped:"):
            print("^C")
        print(line)
