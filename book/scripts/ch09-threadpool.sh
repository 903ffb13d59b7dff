#!/usr/bin/env bash
# Regenerates chapter 9's outputs (book/src/output/ch09-*.txt):
#   ch09-why.txt            epoll, poll and getaddrinfo asked about a file and a host name
#   ch09-tick.txt           a 100 ms timer ticking while the pool writes, reads and checksums 32 MiB
#   ch09-tick-on-loop.txt   the same read and checksum on the loop thread: the ticks stop
#   ch09-slow.txt           pool size + 1 slow tasks: the last one waits (--pool 4, then --pool 2)
#   ch09-coalesce.txt       1M sends from another thread: wakeups and callbacks, then strace -c
#   ch09-race.txt           the Ctrl-C race: a flag against a signal handle
#   ch09-ctrl-c.txt         Ctrl-C through the signal handle while the pool is busy
#   ch09-serve.txt          the file server answering over TCP
#   ch09-strace.txt         strace -f of one read_file, thread by thread
#   ch09-bench.txt          the pool against libuv's uv_queue_work, side by side (release build)
# Needs strace, nc (netcat-openbsd) and libuv1-dev (gcc ... -luv for benches/peers/uv_queue_work.c).
# Run from anywhere: bash book/scripts/ch09-threadpool.sh   (--bench-only: just ch09-bench.txt)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=book/src/output
mkdir -p "$out"
cargo build -q --bin ch09-threadpool
exe=target/debug/ch09-threadpool
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT

# Runs the program with "$@" (after --port 0), the command line first, into $out/ch09-$name.txt.
show() {
    local name=$1
    shift
    {
        echo "\$ cargo run --bin ch09-threadpool -- --port 0 $*"
        "$exe" --port 0 "$@"
    } >"$out/ch09-$name.txt"
}

if [[ "${1:-}" != "--bench-only" ]]; then
    show why why Cargo.toml
    show tick tick
    show tick-on-loop tick --on-loop
    {
        echo "\$ cargo run --bin ch09-threadpool -- --port 0 slow"
        "$exe" --port 0 slow
        echo
        echo "\$ EVENTLOOPS_THREADPOOL_SIZE=2 cargo run --bin ch09-threadpool -- --port 0 slow"
        EVENTLOOPS_THREADPOOL_SIZE=2 "$exe" --port 0 slow
        echo
        echo "\$ cargo run --bin ch09-threadpool -- --port 0 --pool 0 slow"
        "$exe" --port 0 --pool 0 slow 2>&1 | head -n 1 || true
        echo "\$ EVENTLOOPS_THREADPOOL_SIZE=5000 cargo run --bin ch09-threadpool -- --port 0 slow"
        EVENTLOOPS_THREADPOOL_SIZE=5000 "$exe" --port 0 slow 2>&1 || true
    } >"$out/ch09-slow.txt"
    {
        echo "\$ cargo run --bin ch09-threadpool -- --port 0 coalesce"
        "$exe" --port 0 coalesce
        echo "\$ cargo run --bin ch09-threadpool -- --port 0 coalesce --pipe"
        "$exe" --port 0 coalesce --pipe
        echo
        echo "\$ strace -f -c -e trace=write,read,epoll_wait target/debug/ch09-threadpool --port 0 coalesce"
        strace -f -c -e trace=write,read,epoll_wait -o "$tmp" "$exe" --port 0 coalesce >/dev/null
        cat "$tmp"
    } >"$out/ch09-coalesce.txt"
    show race race

    # Ctrl-C while the pool computes a long checksum: one SIGINT, exit status 0.
    "$exe" --port 0 tick --rounds 100 >"$tmp" &
    pid=$!
    sleep 1
    kill -INT "$pid"
    status=0
    wait "$pid" || status=$?
    {
        echo "\$ cargo run --bin ch09-threadpool -- --port 0 tick --rounds 100"
        cat "$tmp"
        echo "\$ echo \$?   # after one Ctrl-C"
        echo "$status"
    } >"$out/ch09-ctrl-c.txt"

    # The file server: two paths over one connection, then Ctrl-C.
    "$exe" --port 0 serve >"$tmp" &
    pid=$!
    for _ in $(seq 100); do grep -q '^listening' "$tmp" && break; sleep 0.05; done
    port=$(sed -n 's/^listening on 127.0.0.1:\([0-9]*\)$/\1/p' "$tmp")
    answers=$(printf 'Cargo.toml\nno/such/file\n' | nc -q 1 127.0.0.1 "$port")
    kill -INT "$pid"
    wait "$pid"
    {
        echo "\$ cargo run --bin ch09-threadpool -- --port 0 serve"
        head -n 3 "$tmp"
        echo
        echo "\$ printf 'Cargo.toml\\nno/such/file\\n' | nc -q 1 127.0.0.1 $port"
        echo "$answers"
    } >"$out/ch09-serve.txt"

    # strace -f of one read_file: the file's system calls, the eventfd (fd 4) and the condvar's
    # futex, from the open to the answer, each line named after its thread.
    strace -f -Y -e trace=openat,newfstatat,fstat,statx,read,write,close,epoll_wait,futex -o "$tmp" \
        "$exe" --port 0 read-file Cargo.toml >/dev/null
    {
        echo "\$ strace -f -e trace=openat,newfstatat,read,write,close,epoll_wait,futex \\"
        echo "    target/debug/ch09-threadpool --port 0 read-file Cargo.toml"
        echo "(from the openat of Cargo.toml to the line printed; thread ids replaced by names)"
        awk '/openat\(AT_FDCWD, "Cargo.toml"/ { on = 1 } on { print } /write\(1, "read_file/ { exit }' "$tmp" |
            sed -E 's/^[0-9]+<ch09-threadpool> /loop     /; s/^[0-9]+<pool-worker-([0-9]+)> /worker-\1 /'
    } >"$out/ch09-strace.txt"
fi

# The pool against libuv, in one run, alternating (the machine is shared: say how busy it was).
# The round trip is mostly the scheduler's wakeup latency, so it is run 5 times each, alternating,
# and the medians are compared.
cargo build -q --release --bin bench-pool
gcc -O2 -o /tmp/uv_queue_work benches/peers/uv_queue_work.c -luv
rounds=5
trips=20000
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ns_of() { sed -n 's/.*: \([0-9.]*\) ns per request$/\1/p'; }
{
    echo "# $(nproc) cores, $(uname -sr), libuv $(pkg-config --modversion libuv 2>/dev/null || echo '?'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    for threads in 1 2 4; do
        echo "\$ for i in \$(seq $rounds); do"
        echo "    cargo run --release --bin bench-pool -- --threads $threads --round-trips $trips --noops 0 --busy 0 --sends 0"
        echo "    UV_THREADPOOL_SIZE=$threads ROUND_TRIPS=$trips NOOPS=0 BUSY=0 SENDS=0 /tmp/uv_queue_work"
        echo "  done"
        book=()
        uv=()
        for _ in $(seq "$rounds"); do
            line=$(target/release/bench-pool --threads "$threads" --round-trips "$trips" --noops 0 --busy 0 --sends 0)
            echo "book:  $line"
            book+=("$(echo "$line" | ns_of)")
            line=$(UV_THREADPOOL_SIZE=$threads ROUND_TRIPS=$trips NOOPS=0 BUSY=0 SENDS=0 /tmp/uv_queue_work)
            echo "libuv: $line"
            uv+=("$(echo "$line" | ns_of)")
        done
        b=$(printf '%s\n' "${book[@]}" | median)
        u=$(printf '%s\n' "${uv[@]}" | median)
        echo "round trip, $threads threads, median of $rounds: book $b ns, libuv $u ns: $(awk -v b="$b" -v u="$u" 'BEGIN { printf "%.2f", b / u }')x libuv"
    done
    for threads in 1 2 4; do
        echo "\$ cargo run --release --bin bench-pool -- --threads $threads --round-trips 0 --sends 0"
        target/release/bench-pool --threads "$threads" --round-trips 0 --sends 0
        echo "\$ UV_THREADPOOL_SIZE=$threads ROUND_TRIPS=0 SENDS=0 /tmp/uv_queue_work"
        UV_THREADPOOL_SIZE=$threads ROUND_TRIPS=0 SENDS=0 /tmp/uv_queue_work
    done
    echo "\$ cargo run --release --bin bench-pool -- --round-trips 0 --noops 0 --busy 0"
    target/release/bench-pool --round-trips 0 --noops 0 --busy 0
    echo "\$ ROUND_TRIPS=0 NOOPS=0 BUSY=0 /tmp/uv_queue_work"
    ROUND_TRIPS=0 NOOPS=0 BUSY=0 /tmp/uv_queue_work
    echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
} >"$out/ch09-bench.txt"
echo "wrote $out/ch09-*.txt"
