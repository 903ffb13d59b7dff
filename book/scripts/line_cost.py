#!/usr/bin/env python3
"""Server CPU per byte a client sends, for a flood of empty lines and for 1 KiB lines, with two
clients reading everything: `line_cost.py EXE [ARGS...]`. Used by ch03-line-cost.sh.

The CPU is the server's user + system time from /proc/PID/stat (Linux), read before the sender
starts and after both readers have everything. An empty line comes back to each reader as
`client 1: ` plus the newline, eleven bytes for one sent, so some of the difference is real
work; the rest is what the server spends per line rather than per byte."""
import os
import socket
import subprocess
import sys
import threading
import time


def cpu_seconds(pid):
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def server_cpu(exe, args, line_len, total, readers=2):
    """Server CPU seconds to relay `total` bytes of `line_len`-byte lines to `readers`."""
    server = subprocess.Popen([exe, "--port", "0", *args], stdout=subprocess.PIPE)
    port = int(server.stdout.readline().decode().rsplit(":", 1)[1])
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    sender = socket.create_connection(("127.0.0.1", port))
    clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(readers)]
    time.sleep(0.3)
    for c in [sender, *clients]:  # the greetings and join notices
        c.settimeout(0.2)
        try:
            while c.recv(65536):
                pass
        except socket.timeout:
            pass
        c.settimeout(60)
    lines = total // (line_len + 1)
    payload = (b"x" * line_len + b"\n") * lines
    expect = lines * (len("client 1: ") + line_len + 1)
    got = [0] * readers

    def read(i):
        buf = bytearray(1 << 20)
        while got[i] < expect:
            n = clients[i].recv_into(buf)
            if n == 0:
                break
            got[i] += n

    threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
    before = cpu_seconds(server.pid)
    for t in threads:
        t.start()
    sender.sendall(payload)
    for t in threads:
        t.join()
    used = cpu_seconds(server.pid) - before
    server.terminate()
    server.wait()
    assert got == [expect] * readers, (got, expect)
    return used, len(payload)


exe, args = sys.argv[1], sys.argv[2:]
for name, line_len, total in (("empty lines", 0, 16 << 20), ("1 KiB lines", 1023, 256 << 20)):
    used, sent = server_cpu(exe, args, line_len, total)
    print(f"{name:>11}: {sent >> 20:>3} MiB sent, server CPU {used:5.2f} s, "
          f"{used / sent * 1e9:5.1f} ns per byte sent")
