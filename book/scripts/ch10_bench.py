#!/usr/bin/env python3
"""Chapter 10's measurements, driven by book/scripts/ch10-server.sh (which builds everything
first). Starts every server, loads it, and writes book/src/output/ch10-*.txt.

    ch10_bench.py [SECTION ...]     sections: run table idle syscalls lifecycle profile
                                    optimisations workers threads, or all (default: table)

Environment: ROUNDS (default 3) runs of each wrk measurement, the median is shown; SECS
(default 5) seconds per wrk run; TMP, the directory the build step used for the peers.
"""
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "book", "src", "output")
TMP = os.environ.get("TMP_DIR", "/tmp/ch10-bench")
ROUNDS = int(os.environ.get("ROUNDS", "3"))
SECS = int(os.environ.get("SECS", "5"))
RELEASE = os.path.join(ROOT, "target", "release")
PEERS = os.path.join(ROOT, "benches", "peers")
LOAD = os.path.join(RELEASE, "ch10-load")
TICK = os.sysconf("SC_CLK_TCK")

# name shown, port, command (None: nginx, started from its config)
SERVERS = [
    ("ch10-server (this book)", 18110, [os.path.join(RELEASE, "ch10-server"), "--port", "18110", "--workers", "1"]),
    ("C epoll (no parsing)", 18111, [os.path.join(TMP, "c_epoll"), "18111"]),
    ("nginx, 1 worker", 18112, None),
    ("Node.js http", 18113, ["node", os.path.join(PEERS, "node_http.js"), "18113"]),
    ("Node.js net (no parsing)", 18114, ["node", os.path.join(PEERS, "node_net.js"), "18114"]),
    ("tokio current_thread (no parsing)", 18115, [os.path.join(PEERS, "tokio_srv", "target", "release", "tokio_srv"), "18115"]),
]


def nginx_command(port, connections=16384):
    """Writes a one-worker nginx config answering Hello, World! and returns its command."""
    prefix = os.path.join(TMP, f"nginx-{port}")
    os.makedirs(os.path.join(prefix, "logs"), exist_ok=True)
    conf = os.path.join(prefix, "nginx.conf")
    with open(conf, "w") as f:
        f.write(f"""# written by book/scripts/ch10_bench.py
worker_processes 1; daemon off; master_process off;
worker_rlimit_nofile 20000;
error_log {prefix}/logs/error.log crit; pid {prefix}/nginx.pid;
events {{ worker_connections {connections}; }}
http {{
  access_log off; keepalive_requests 10000000; keepalive_timeout 75s;
  server {{
    listen 127.0.0.1:{port};
    location / {{ default_type text/plain; return 200 "Hello, World!\\n"; }}
  }}
}}
""")
    return ["nginx", "-e", f"{prefix}/logs/error.log", "-p", prefix, "-c", conf]


class Server:
    """A server process started for a measurement, stopped by its pid."""

    def __init__(self, name, port, command):
        self.name, self.port = name, port
        self.command = command if command is not None else nginx_command(port)
        self.proc = subprocess.Popen(self.command, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{name} exited: {self.command}")
                time.sleep(0.05)
        raise RuntimeError(f"{name} does not listen on {port}")

    @property
    def pid(self):
        return self.proc.pid

    def cpu_seconds(self):
        fields = open(f"/proc/{self.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICK

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def wrk(port, pipelined=False, secs=None, extra=()):
    """Runs wrk -t1 -c64; returns (requests, req/s, timeouts+errors)."""
    cmd = ["wrk", "-t1", "-c64", f"-d{secs or SECS}s", *extra]
    if pipelined:
        cmd += ["-s", os.path.join(PEERS, "pipeline.lua")]
    cmd.append(f"http://127.0.0.1:{port}/")
    if pipelined:
        cmd += ["--", "16"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    reqs = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return reqs, rps, errors


def measure(server, pipelined=False):
    """CPU µs per request and req/s of one wrk run."""
    before = server.cpu_seconds()
    reqs, rps, errors = wrk(server.port, pipelined)
    cpu = server.cpu_seconds() - before
    return {"rps": rps, "cpu_us": cpu * 1e6 / reqs if reqs else float("nan"), "errors": errors}


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def load_avg():
    return open("/proc/loadavg").read().split()[0]


def machine():
    model = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    kernel = os.uname().release
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    nginx = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip().split("/")[-1]
    return f"# {os.cpu_count()} cores ({model}), Linux {kernel}, nginx {nginx}, Node.js {node}"


def write(name, lines):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write("\n".join(lines).rstrip() + "\n")
    print(f"wrote {os.path.relpath(path, ROOT)}", file=sys.stderr)


def fmt_rps(x):
    return f"{x:,.0f}"


# ---- run it -----------------------------------------------------------------------------------------

def section_run():
    port = 7010
    server = subprocess.Popen([os.path.join(RELEASE, "ch10-server"), "--port", str(port), "--workers", "2"],
                              stdout=subprocess.PIPE, text=True)
    first = server.stdout.readline() + server.stdout.readline()  # listening on ..., N workers ...
    url = f"http://127.0.0.1:{port}"
    session = []

    def shell(command):
        out = subprocess.run(["bash", "-c", command], capture_output=True, text=True).stdout
        session.append(f"$ {command}")
        session.extend(out.rstrip("\n").splitlines())

    shell(f"curl -i {url}/")
    shell(f"curl -s --data-binary 'hello, echo' {url}/echo; echo")
    shell(f"curl -s '{url}/delay?ms=250'")
    shell(f"curl -s -o /dev/null -w '%{{http_code}}\\n' {url}/nope")
    shell(f"curl -s -o /dev/null -w '%{{http_code}}\\n' -X PUT {url}/")
    shell(f"printf 'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /nope HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n' "
          f"| nc -q 1 127.0.0.1 {port} | grep HTTP")
    server.send_signal(signal.SIGINT)
    rest = server.communicate(timeout=10)[0]
    lines = [f"$ cargo run --release --bin ch10-server -- --port {port} --workers 2"]
    lines += first.rstrip("\n").splitlines()
    lines += ["", "# in another terminal:"] + session + ["", "# back in the first, Ctrl-C:"]
    lines += rest.rstrip("\n").splitlines()
    lines.append(f"(exit status {server.returncode})")
    write("ch10-run.txt", lines)


# ---- the one table --------------------------------------------------------------------------------

def section_table():
    load_before = load_avg()
    servers = [Server(*s) for s in SERVERS]
    runs = {s.name: {"keep": [], "pipe": []} for s in servers}
    try:
        for _ in range(ROUNDS):
            for s in servers:
                runs[s.name]["keep"].append(measure(s))
            for s in servers:
                runs[s.name]["pipe"].append(measure(s, pipelined=True))
    finally:
        for s in servers:
            s.stop()
    load_after = load_avg()
    lines = [
        "$ bash book/scripts/ch10-server.sh table",
        machine(),
        f"# wrk -t1 -c64 -d{SECS}s, keep-alive; pipelined: -s benches/peers/pipeline.lua -- 16",
        f"# median of {ROUNDS} runs each; server CPU from /proc/PID/stat; load average {load_before} before, {load_after} after",
        "",
        f"{'server':36}{'keep-alive req/s':>17}{'CPU µs/req':>12}{'pipelined req/s':>17}{'CPU µs/req':>12}  note",
    ]
    for s in servers:
        keep, pipe = runs[s.name]["keep"], runs[s.name]["pipe"]
        # A server that answers each read instead of each request sends one answer per batch
        # of 16, and wrk waits for the other 15 until the run ends: a handful of answers.
        stalled = median(pipe, "rps") < 0.01 * median(keep, "rps")
        note = "stalls: one answer per read, not per request" if stalled else ""
        pipe_cpu = "—" if stalled else f"{median(pipe, 'cpu_us'):.2f}"
        lines.append(f"{s.name:36}{fmt_rps(median(keep, 'rps')):>17}{median(keep, 'cpu_us'):>12.2f}"
                     f"{fmt_rps(median(pipe, 'rps')):>17}{pipe_cpu:>12}  {note}".rstrip())
    ours = runs[servers[0].name]
    c, ngx = runs[servers[1].name], runs[servers[2].name]
    lines += [
        "",
        f"keep-alive CPU per request: {median(ours['keep'], 'cpu_us') / median(c['keep'], 'cpu_us'):.2f}x C epoll, "
        f"{median(ours['keep'], 'cpu_us') / median(ngx['keep'], 'cpu_us'):.2f}x nginx",
        f"pipelined requests/s: {median(ours['pipe'], 'rps') / median(ngx['pipe'], 'rps'):.2f}x nginx",
    ]
    write("ch10-table.txt", lines)
    print("\n".join(lines))


# ---- memory per idle connection ---------------------------------------------------------------------

def section_idle():
    n = 10_000
    lines = ["$ bash book/scripts/ch10-server.sh idle", machine(),
             f"# {n:,} idle keep-alive connections, one request answered on each; VmRSS of the server",
             "", f"{'server':24}{'RSS before':>12}{'RSS after':>12}{'per connection':>16}"]
    for name, port, cmd in (SERVERS[0], SERVERS[2], SERVERS[3]):
        s = Server(name, port, cmd)
        try:
            out = subprocess.run([LOAD, "--port", str(port), "--idle", str(n), "--pid", str(s.pid)],
                                 capture_output=True, text=True, check=True).stdout
        finally:
            s.stop()
        kv = dict(p.split("=") for p in out.split())
        lines.append(f"{name:24}{int(kv['rss_before_kib']) / 1024:>9.1f} MiB{int(kv['rss_after_kib']) / 1024:>9.1f} MiB"
                     f"{int(kv['per_connection_bytes']):>10,} bytes")
        time.sleep(1)
    write("ch10-idle.txt", lines)


# ---- system calls per request ------------------------------------------------------------------------

def strace_counts(server, requests):
    """strace -c -f on a running server while ch10-load makes `requests` requests."""
    log = os.path.join(TMP, f"strace-{server.port}.txt")
    tracer = subprocess.Popen(["strace", "-c", "-f", "-o", log, "-p", str(server.pid)],
                              stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    subprocess.run([LOAD, "--port", str(server.port), "--connections", "64", "--requests", str(requests)],
                   capture_output=True, check=True)
    tracer.send_signal(signal.SIGINT)
    tracer.wait()
    counts = {}
    for line in open(log):
        parts = line.split()
        if len(parts) >= 5 and parts[0][0].isdigit() and parts[-1] not in ("total",):
            calls = int(parts[3])
            counts[parts[-1]] = calls
    return counts


def section_syscalls():
    requests = 20_000
    chosen = [SERVERS[0], SERVERS[2], SERVERS[3], SERVERS[1]]
    results = []
    for name, port, cmd in chosen:
        s = Server(name, port, cmd)
        try:
            results.append((name, strace_counts(s, requests)))
        finally:
            s.stop()
    names = sorted({k for _, c in results for k in c}, key=lambda k: -max(c.get(k, 0) for _, c in results))
    lines = ["$ bash book/scripts/ch10-server.sh syscalls", machine(),
             f"# strace -c -f -p PID while ch10-load makes {requests:,} keep-alive requests on 64 connections",
             "# (calls per request; strace slows every call, so more events arrive per epoll_wait than untraced)",
             "", f"{'system call':16}" + "".join(f"{n.split(',')[0][:22]:>24}" for n, _ in results)]
    for k in names:
        row = [c.get(k, 0) / requests for _, c in results]
        if max(row) < 0.005:
            continue
        lines.append(f"{k:16}" + "".join(f"{v:>24.2f}" for v in row))
    totals = [sum(c.values()) / requests for _, c in results]
    lines.append(f"{'all':16}" + "".join(f"{v:>24.2f}" for v in totals))
    write("ch10-syscalls.txt", lines)


# ---- one connection's life, annotated ------------------------------------------------------------------

NOTES = [
    (r"^prlimit64\(0, RLIMIT_NOFILE, NULL", "the fd limit (a soft one below the hard one is raised)"),
    (r"^prlimit64\(0, RLIMIT_NOFILE, \{", "raise the soft limit to the hard one (C10K)"),
    (r"^socket\(AF_INET, SOCK_STREAM\|SOCK_CLOEXEC", "a TCP socket, closed on exec"),
    (r"^setsockopt.*SO_REUSEADDR", "bind again at once after a restart"),
    (r"^setsockopt.*SO_REUSEPORT", "let every worker bind its own listener to this port"),
    (r"^bind\(", "the address"),
    (r"^listen\(\d+, 1\)", "a probe without SO_REUSEPORT: is the port free?"),
    (r"^listen\(", "start queueing finished handshakes, up to the backlog"),
    (r"^getsockname", "which port did we get?"),
    (r"^fcntl\(\d+, F_GETFL", "the listener's flags..."),
    (r"^fcntl\(\d+, F_SETFL", "...plus O_NONBLOCK: accept never blocks"),
    (r"^epoll_create1", "the worker's poller (chapter 6)"),
    (r"^epoll_ctl\(\d+, EPOLL_CTL_ADD, 3,", "watch the listener"),
    (r"^epoll_ctl\(\d+, EPOLL_CTL_ADD, \d+, \{events=EPOLLIN\|EPOLLRDHUP, data=\{u32=[1-4],", "watch the handle's fd for reading"),
    (r"^epoll_ctl\(\d+, EPOLL_CTL_ADD", "watch the connection for reading"),
    (r"^eventfd2", "an async handle's eventfd (chapter 9)"),
    (r"^fcntl\(\d+, F_DUPFD_CLOEXEC", "the loop's own copy of it"),
    (r"^pipe2", "a signal handle's self-pipe (chapter 9)"),
    (r"^rt_sigaction\(SIG(INT|TERM), \{sa_handler=SIG_DFL", "closing the signal handle restores the old action"),
    (r"^rt_sigaction\(SIGINT", "Ctrl-C will write a byte into that pipe"),
    (r"^rt_sigaction\(SIGTERM", "and so will SIGTERM"),
    (r'^write\(1, "listening', "'listening on ...': now it is ready"),
    (r'^write\(1, "stopping', "tell the user"),
    (r'^write\(1, "worker', "the worker's counts"),
    (r"^write\(1, ", ""),
    (r"^epoll_wait\(.*EINTR", "a signal cuts the wait short (EINTR)"),
    (r"^epoll_wait\(.*= 1$", "sleep until something is ready: one event"),
    (r"^epoll_wait\(", "sleep until something is ready"),
    (r"^accept4\(.*SOCK_CLOEXEC\|SOCK_NONBLOCK\) = \d+", "a new connection, non-blocking from birth"),
    (r"^accept4\(.*EAGAIN", "the queue is empty: back to the loop"),
    (r"^setsockopt.*TCP_NODELAY", "send small responses at once (no Nagle)"),
    (r"^recvfrom\(.*\) += 0$", "end of file: the client has closed"),
    (r'^recvfrom\(\d+, "GET', "a request, read in one call"),
    (r'^sendto\(\d+, "HTTP/1.1 200', "its response, in one call (MSG_NOSIGNAL: EPIPE, never SIGPIPE)"),
    (r"^epoll_ctl\(\d+, EPOLL_CTL_DEL", "stop watching it..."),
    (r"^close\(", "...and close it"),
    (r"^--- SIGINT", "Ctrl-C"),
    (r'^write\(\d+, "\\2"', "the handler writes the signal's number into the pipe"),
    (r"^rt_sigreturn", "back to the interrupted call"),
    (r'^read\(\d+, "\\2"', "the loop reads it: the signal handle's callback runs"),
    (r"^exit_group", "exit status 0"),
]


def section_lifecycle():
    port = 18120
    log = os.path.join(TMP, "lifecycle.txt")
    tracer = subprocess.Popen(
        ["strace", "-o", log, "-e", "trace=!mmap,munmap,mprotect,brk,madvise,sigaltstack,sched_getaffinity,"
         "getrandom,poll,rseq,set_robust_list,set_tid_address,arch_prctl,access,openat,newfstatat,fstat,"
         "pread64,execve,statx,getcwd,readlink,ioctl,clock_gettime,getdents64,rt_sigprocmask,prctl,futex",
         os.path.join(RELEASE, "ch10-server"), "--port", str(port), "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    tracer.stdout.readline()  # listening on ...: set up
    time.sleep(0.2)
    subprocess.run(["curl", "-s", f"http://127.0.0.1:{port}/", f"http://127.0.0.1:{port}/"],
                   stdout=subprocess.DEVNULL, check=True)
    time.sleep(0.3)
    # strace does not pass signals on: Ctrl-C goes to the server itself, strace's child.
    server = int(subprocess.run(["pgrep", "-P", str(tracer.pid)], capture_output=True, text=True).stdout.split()[0])
    os.kill(server, signal.SIGINT)
    tracer.communicate(timeout=10)
    raw = [l.rstrip("\n") for l in open(log)]
    start = next(i for i, l in enumerate(raw) if l.startswith("prlimit64(0, RLIMIT_NOFILE"))
    lines = ["$ strace -e trace='!mmap,...' target/release/ch10-server --port 18120 --workers 1",
             "$ curl http://127.0.0.1:18120/ http://127.0.0.1:18120/   # one connection, two requests; then Ctrl-C", ""]
    after_probe = False
    seen_socket = False
    for l in raw[start:]:
        if l.startswith("+++"):
            lines.append(l)
            continue
        if len(l) > 80:
            l = l[:77] + "..."
        note = next((n for pat, n in NOTES if re.search(pat, l)), "")
        seen_socket |= l.startswith("socket(")
        if not seen_socket and l.startswith("close("):
            note = "the /dev/fd listing that counted the open fds"
        if l.startswith("listen(") and l.split(", ")[1].startswith("1)"):
            after_probe = True
        elif after_probe and l.startswith("close("):
            note, after_probe = "close the probe: the port is ours to share", False
        lines.append(f"{l:81} # {note}" if note else l)
    write("ch10-lifecycle.txt", lines)


# ---- where the CPU goes ----------------------------------------------------------------------------------

def section_profile():
    s = Server(*SERVERS[0])
    data = os.path.join(TMP, "perf.data")
    try:
        load = subprocess.Popen(["wrk", "-t1", "-c64", f"-d{SECS + 2}s", f"http://127.0.0.1:{s.port}/"],
                                stdout=subprocess.DEVNULL)
        time.sleep(1)
        subprocess.run(["perf", "record", "-e", "cpu-clock", "-o", data, "-p", str(s.pid), "--", "sleep", str(SECS)],
                       capture_output=True, check=True)
        load.wait()
    finally:
        s.stop()

    def report(*sort):
        out = subprocess.run(["perf", "report", "-i", data, "--stdio", "--no-children", "--sort", ",".join(sort)],
                             capture_output=True, text=True).stdout
        rows = []
        for line in out.splitlines():
            m = re.match(r"\s+([\d.]+)%\s+(.*)", line)
            if m:
                rows.append((float(m.group(1)), re.sub(r"\s+", " ", m.group(2)).strip()))
        return rows

    lines = ["$ perf record -e cpu-clock -p PID -- sleep 5    # while wrk -t1 -c64 loads ch10-server --workers 1",
             "# (a sampling profile on the cpu-clock software event: this machine's VM has no hardware counters)",
             "", "where the server's CPU time goes:"]
    for pct, dso in report("dso"):
        name = {"[kernel.kallsyms]": "the kernel (TCP, epoll, system calls)", "ch10-server": "our code (loop, HTTP, httparse)",
                "libc.so.6": "libc (system call wrappers, memcpy)", "[vdso]": "vDSO (clock_gettime)"}.get(dso, dso)
        lines.append(f"  {pct:5.1f}%  {name}")
    rows = report("dso", "symbol")
    lines += ["", "the kernel's top functions:"]
    lines += [f"  {pct:5.1f}%  {sym.split('] ', 1)[-1]}" for pct, sym in [r for r in rows if r[1].startswith("[kernel")][:10]]
    lines += ["", "our code's top functions (ch10-server, libc and vDSO):"]
    ours = [(pct, re.sub(r"^.*?\] ", "", sym)) for pct, sym in rows if not sym.startswith("[kernel")]
    lines += [f"  {pct:5.1f}%  {sym[:90]}" for pct, sym in ours[:14]]
    write("ch10-profile.txt", lines)


# ---- what each optimisation buys ------------------------------------------------------------------------

VARIANTS = [
    ("all optimisations on", []),
    ("without buffer-reuse", ["buffer-reuse"]),
    ("without batch-write", ["batch-write"]),
    ("without write-at-once", ["write-at-once"]),
    ("without read-once", ["read-once"]),
    ("without date-cache", ["date-cache"]),
    ("without nodelay", ["nodelay"]),
    ("without batch-write, nodelay", ["batch-write", "nodelay"]),
    ("all off", ["buffer-reuse", "batch-write", "write-at-once", "read-once", "date-cache", "nodelay"]),
]


def section_optimisations():
    binary = os.path.join(RELEASE, "ch10-server")
    servers = []
    for i, (name, without) in enumerate(VARIANTS):
        port = 18130 + i
        cmd = [binary, "--port", str(port), "--workers", "1"]
        if without:
            cmd += ["--without", ",".join(without)]
        servers.append(Server(name, port, cmd))
    runs = {s.name: {"keep": [], "pipe": []} for s in servers}
    load_before = load_avg()
    try:
        for _ in range(ROUNDS):
            for s in servers:
                runs[s.name]["keep"].append(measure(s))
                runs[s.name]["pipe"].append(measure(s, pipelined=True))
    finally:
        for s in servers:
            s.stop()
    lines = ["$ bash book/scripts/ch10-server.sh optimisations", machine(),
             f"# ch10-server --workers 1 --without ...; wrk -t1 -c64 -d{SECS}s, median of {ROUNDS}; "
             f"load average {load_before} before, {load_avg()} after", "",
             f"{'variant':32}{'keep-alive req/s':>17}{'CPU µs/req':>12}{'pipelined req/s':>17}{'CPU µs/req':>12}"]
    for s in servers:
        keep, pipe = runs[s.name]["keep"], runs[s.name]["pipe"]
        lines.append(f"{s.name:32}{fmt_rps(median(keep, 'rps')):>17}{median(keep, 'cpu_us'):>12.2f}"
                     f"{fmt_rps(median(pipe, 'rps')):>17}{median(pipe, 'cpu_us'):>12.2f}")
    write("ch10-optimisations.txt", lines)


# ---- one loop per core, three ways to share the port ---------------------------------------------------------

def section_workers():
    binary = os.path.join(RELEASE, "ch10-server")
    lines = ["$ bash book/scripts/ch10-server.sh workers", machine(),
             "# ch10-server --workers 2 --listener MODE; wrk -t1 -c64 -d3s -H 'Connection: close'",
             "# (a new connection for every request), then Ctrl-C and the workers' counts", "",
             f"{'--listener':12}{'req/s':>10}{'connections per worker':>28}{'empty accept wake-ups':>26}"]
    for i, mode in enumerate(["reuseport", "shared", "exclusive"]):
        port = 18150 + i
        proc = subprocess.Popen([binary, "--port", str(port), "--workers", "2", "--listener", mode],
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()
        proc.stdout.readline()
        _, rps, _ = wrk(port, secs=3, extra=["-H", "Connection: close"])
        proc.send_signal(signal.SIGINT)
        rest = proc.communicate(timeout=10)[0]
        workers = re.findall(r"worker \d+: (\d+) connections.* (\d+) empty accept", rest)
        conns = " + ".join(f"{int(c):,}" for c, _ in workers)
        empty = " + ".join(f"{int(e):,}" for _, e in workers)
        lines.append(f"{mode:12}{fmt_rps(rps):>10}{conns:>28}{empty:>26}")
    write("ch10-workers.txt", lines)


# ---- threads against the loop -------------------------------------------------------------------------------

def section_threads():
    rows = ["server,connections,rps,cpu_us,rss_kib,threads"]
    text = ["$ bash book/scripts/ch10-server.sh threads", machine(),
            f"# ch10-load --connections N --seconds {SECS}: each connection sends a request and waits for the answer",
            "# chapter 1's echo server with --threads (it echoes the request) against ch10-server (HTTP, 2 workers);",
            f"# the load generator shares the 2 cores; load average {load_avg()} at the start",
            "", f"{'server':30}{'connections':>12}{'req/s':>10}{'CPU µs/req':>12}{'RSS':>12}{'threads':>9}"]
    for n in (10, 1000, 10000):
        for name, port, cmd in (
            ("thread per connection (ch01)", 18160, [os.path.join(RELEASE, "ch01-loop"), "--port", "18160", "--threads"]),
            ("event loop (ch10; 2 workers)", 18161, [os.path.join(RELEASE, "ch10-server"), "--port", "18161", "--workers", "2"]),
        ):
            s = Server(name, port, cmd)
            try:
                before = s.cpu_seconds()
                out = subprocess.run([LOAD, "--port", str(port), "--connections", str(n), "--seconds", str(SECS),
                                      "--pid", str(s.pid), "--request", "GET / HTTP/1.1\\r\\nHost: bench\\r\\n\\r\\n"],
                                     capture_output=True, text=True, check=True).stdout
                cpu = s.cpu_seconds() - before
            finally:
                s.stop()
            kv = dict(p.split("=") for p in out.split())
            cpu_us = cpu * 1e6 / int(kv["answers"])
            rows.append(f"{name},{n},{kv['rps']},{cpu_us:.2f},{kv['rss_kib']},{kv['threads']}")
            text.append(f"{name:30}{n:>12,}{int(kv['rps']):>10,}{cpu_us:>12.2f}"
                        f"{int(kv['rss_kib']) / 1024:>8.1f} MiB{int(kv['threads']):>9,}")
            time.sleep(1)
    with open(os.path.join(OUT, "ch10-threads.csv"), "w") as f:
        f.write("\n".join(rows) + "\n")
    write("ch10-threads.txt", text)
    subprocess.run([os.path.join(RELEASE, "plot-ch10")], check=True)


SECTIONS = {
    "run": section_run,
    "table": section_table,
    "idle": section_idle,
    "syscalls": section_syscalls,
    "lifecycle": section_lifecycle,
    "profile": section_profile,
    "optimisations": section_optimisations,
    "workers": section_workers,
    "threads": section_threads,
}

if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    wanted = sys.argv[1:] or ["table"]
    if wanted == ["all"]:
        wanted = [name for name in SECTIONS if name != "table"] + ["table"]
    for name in wanted:
        if name not in SECTIONS:
            sys.exit(f"unknown section {name!r}; known: {' '.join(SECTIONS)}")
    for name in wanted:
        print(f"== {name}", file=sys.stderr)
        SECTIONS[name]()
