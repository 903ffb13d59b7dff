#!/usr/bin/env bash
# Regenerates the chapter 3 outputs the book shows:
#   book/src/output/ch03-session.txt  what three chat clients saw
#   book/src/output/ch03-server.txt   what the server printed meanwhile, up to Ctrl-C
#   book/src/output/ch03-refused.txt  the client that arrives as fd 1024
#   book/src/output/ch03-emfile.txt   80 clients for a server limited to 64 fds
#   book/src/output/ch03-flood.txt    one client sending without pause, one never reading
# Usage: bash book/scripts/ch03-select.sh   (needs cargo and python3, and Linux for /proc)
set -euo pipefail
cd "$(dirname "$0")/../.."
source book/scripts/lib.sh # emit: write a file only if more than measurements changed
out=book/src/output
bin=${BIN:-ch03-select}
prefix=${PREFIX:-ch03}
cargo build -q --bin "$bin"
exe=target/debug/$bin
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

start() {
    "$exe" --port 0 >"$tmp/server.txt" &
    pid=$!
    for _ in $(seq 100); do
        grep -q '^listening on' "$tmp/server.txt" 2>/dev/null && break
        sleep 0.05
    done
    port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$tmp/server.txt")
}
stop() {
    kill -INT "$pid"
    wait "$pid"
}

# Whether carol's exit reaches the server as a reset or an end of file is a race in the script
# (the pages say so): masked.
race='s/dropped: Connection reset by peer \(os error 104\)/left/; s/, 1 dropped$/, 0 dropped/'

start
python3 book/scripts/chat_session.py "$port" | emit "$out/$prefix-session.txt"
stop
{
    echo "\$ cargo run --bin $bin -- --port 0"
    head -n -1 "$tmp/server.txt"
    echo "^C"
    tail -n 1 "$tmp/server.txt"
} | emit "$out/$prefix-server.txt" "$race"

start
python3 - "$port" <<'PY' | emit "$out/$prefix-refused.txt"
import resource, socket, sys
port = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
clients = []
while True:
    s = socket.create_connection(("127.0.0.1", port))
    s.settimeout(10)
    first = s.makefile("rb").readline().decode().rstrip("\n")
    if not first.startswith("* you are"):
        print(f"connection {len(clients) + 1}: {first}")
        print(f"then: {'closed by the server' if s.recv(100) == b'' else 'still open'}")
        break
    if len(clients) < 2 or len(clients) % 255 == 0:
        print(f"connection {len(clients) + 1}: {first}")
    elif len(clients) == 2:
        print("...")
    clients.append(s)
PY
stop

python3 book/scripts/emfile_scene.py "$exe" | emit "$out/$prefix-emfile.txt"
python3 book/scripts/flood_scene.py "$exe" | emit "$out/$prefix-flood.txt"
