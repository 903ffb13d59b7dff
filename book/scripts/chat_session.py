#!/usr/bin/env python3
"""Drives a chat server the way three people at three terminals would, and prints what each
one saw. Used by ch03-select.sh and ch04-registry.sh: `chat_session.py PORT`."""
import socket
import sys
import time

port = int(sys.argv[1])
seen = []  # (who, line) in the order they arrived


def connect(name):
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(0.3)
    return [name, s, b""]


def drain(client):
    name, s, buf = client
    while True:
        try:
            data = s.recv(65536)
        except socket.timeout:
            break
        if not data:
            break
        buf += data
    *lines, buf = buf.split(b"\n")
    client[2] = buf
    for line in lines:
        seen.append((name, line.decode()))


def say(client, text):
    seen.append((client[0], "> " + text))
    client[1].sendall(text.encode() + b"\n")
    time.sleep(0.1)


alice = connect("alice")
drain(alice)
bob = connect("bob")
drain(bob)
drain(alice)
carol = connect("carol")
drain(carol)
for c in (alice, bob):
    drain(c)
say(alice, "hi all")
for c in (bob, carol):
    drain(c)
say(bob, "hello alice")
for c in (alice, carol):
    drain(c)
carol[1].sendall(b"half a li")
time.sleep(0.1)
seen.append(("carol", '> "half a li" (no newline yet)'))
for c in (alice, bob):
    drain(c)
say(carol, "ne, now whole")
for c in (alice, bob):
    drain(c)
seen.append(("bob", "(closes the connection)"))
bob[1].close()
time.sleep(0.1)
for c in (alice, carol):
    drain(c)
for name, line in seen:
    print(f"{name:>5} | {line}")
