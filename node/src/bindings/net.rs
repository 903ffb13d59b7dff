//! TCP on the loop, as libuv's `uv_tcp_t` does it for Node's `net`: each socket is one of
//! chapter 7's I/O watchers, and one I/O event is handled the way libuv's `uv__stream_io`
//! handles it: a pending connect completes; otherwise readable means read (up to 64 KiB at a
//! time, stopping after a short read, as `uv__read` does), then writable means flush the
//! queued writes and, once they are gone, a pending shutdown. A listening socket accepts every
//! waiting connection (`uv__server_io`).
//!
//! Each of those is a separate callback into JavaScript, followed by chapter 8's drain: Node
//! wraps each in its own `InternalCallbackScope`.
//!
//! Two of libuv's habits decide the order of events between sockets, and are copied: a change of
//! what a socket waits for is applied right before the next `epoll_wait`, in the order the
//! changes were made (libuv's `watcher_queue`); and a shutdown with nothing left to write is done
//! in the pending phase (`uv_shutdown` feeds the socket to the pending queue).

use super::define;
use super::errno::{net_error, throw};
use super::keys::{Key, Keys};
use super::socket;
use crate::env::with_loop;
use crate::plugins::{self, SocketReader};
use crate::scope::make_callback;
use crate::trace::What;
use eventloops::ch06_pollers::{Event, Interest};
use eventloops::ch07_phases::Handle;
use eventloops::ch08_ticks::Node;
use rquickjs::function::Opt;
use rquickjs::{Ctx, Function, Object, Persistent, TypedArray, Value};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::os::fd::{AsFd, OwnedFd};

/// A JavaScript function kept for a later callback.
type Callback = Persistent<Function<'static>>;

/// A write that did not fit in the socket's buffer at once.
struct QueuedWrite {
    bytes: Vec<u8>,
    written: usize,
    done: Callback,
}

/// One TCP handle: a listening socket or a connection.
struct Tcp {
    handle: Handle,
    /// Registered with the poller (possibly for nothing yet).
    registered: bool,
    /// Waiting in [`PENDING`] for its interest to be applied.
    queued: bool,
    /// Fed to the pending phase (libuv's `uv__io_feed`): a shutdown to do there.
    fed: bool,
    /// `socket.ref()`/`unref()`: whether it may keep the loop alive.
    user_ref: bool,
    /// `onconnection(key, address, port)` of a listening socket.
    listening: Option<Callback>,
    /// `onconnect(error)` while a connect is in progress.
    connecting: Option<Callback>,
    /// `onread(chunk)` while reading: a Uint8Array, `null` at end of file, or an Error.
    reading: Option<Callback>,
    writes: VecDeque<QueuedWrite>,
    /// `oncomplete(error)` of a shutdown waiting for the writes to drain.
    shutdown: Option<Callback>,
}

thread_local! {
    static TCP: RefCell<Keys<Tcp>> = const { RefCell::new(Keys::new()) };
    /// Sockets whose interest changed this turn, in the order of their first change.
    static PENDING: RefCell<Vec<Key>> = const { RefCell::new(Vec::new()) };
    /// Set while a callback from the pending phase runs (for the trace).
    static IN_PENDING_PHASE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    /// The prepare handle that applies [`PENDING`] right before the poll phase.
    static FLUSHER: std::cell::Cell<Option<Handle>> = const { std::cell::Cell::new(None) };
}

/// Forgets the previous run's sockets.
pub(crate) fn reset() {
    TCP.with_borrow_mut(Keys::clear);
    PENDING.with_borrow_mut(Vec::clear);
    FLUSHER.set(None);
}

pub(crate) fn install<'js>(ctx: &Ctx<'js>, binding: &Object<'js>) -> rquickjs::Result<()> {
    define(ctx, binding, "tcpListen", tcp_listen)?;
    define(ctx, binding, "tcpConnect", tcp_connect)?;
    define(
        ctx,
        binding,
        "tcpReadStart",
        |ctx: Ctx<'js>, key: Key, onread: Function<'js>| {
            let saved = Persistent::save(&ctx, onread);
            with_tcp(key, |tcp| tcp.reading = Some(saved));
            update_interest(key);
        },
    )?;
    define(ctx, binding, "tcpReadStop", |key: Key| {
        with_tcp(key, |tcp| tcp.reading = None);
        update_interest(key);
    })?;
    define(ctx, binding, "tcpWrite", tcp_write)?;
    define(ctx, binding, "tcpShutdown", tcp_shutdown)?;
    define(ctx, binding, "tcpClose", tcp_close)?;
    define(
        ctx,
        binding,
        "tcpAddress",
        |ctx: Ctx<'js>, key: Key, peer: bool| address(&ctx, key, peer),
    )?;
    define(ctx, binding, "tcpRef", |key: Key, on: bool| {
        with_tcp(key, |tcp| tcp.user_ref = on);
        update_interest(key);
    })?;
    define(ctx, binding, "tcpSetNoDelay", |key: Key, on: bool| {
        if let Some(handle) = handle_of(key) {
            with_loop(|node| {
                if let Some(fd) = node.io_fd(handle) {
                    let _ = socket::set_nodelay(fd, on);
                }
            });
        }
    })?;
    Ok(())
}

fn with_tcp<R>(key: Key, f: impl FnOnce(&mut Tcp) -> R) -> Option<R> {
    TCP.with_borrow_mut(|t| t.get_mut(key).map(f))
}

fn handle_of(key: Key) -> Option<Handle> {
    TCP.with_borrow(|t| t.get(key).map(|tcp| tcp.handle))
}

/// Parses a numeric host (`'127.0.0.1'`, `'::'`); names are resolved in JavaScript first.
fn socket_addr(host: &str, port: u16) -> Option<SocketAddr> {
    host.parse::<IpAddr>()
        .ok()
        .map(|ip| SocketAddr::new(ip, port))
}

/// Hands a new socket to the loop.
fn add(node: &mut Node, fd: OwnedFd, tcp: impl FnOnce(Handle) -> Tcp) -> Key {
    let handle = node.io_init(fd);
    TCP.with_borrow_mut(|t| {
        let key = t.reserve();
        t.fill(key, tcp(handle));
        key
    })
}

/// A new socket's bookkeeping, all off.
fn new_tcp(handle: Handle) -> Tcp {
    Tcp {
        handle,
        registered: false,
        queued: false,
        fed: false,
        user_ref: true,
        listening: None,
        connecting: None,
        reading: None,
        writes: VecDeque::new(),
        shutdown: None,
    }
}

// ANCHOR: interest
/// What the socket waits for: readable while listening or reading, writable while connecting
/// or while writes or a shutdown wait.
fn desired(tcp: &Tcp) -> Interest {
    Interest {
        readable: tcp.listening.is_some() || tcp.reading.is_some(),
        writable: tcp.connecting.is_some() || !tcp.writes.is_empty() || tcp.shutdown.is_some(),
    }
}

fn is_empty(interest: Interest) -> bool {
    !interest.readable && !interest.writable
}

/// From a host function: the socket's interest changed.
fn update_interest(key: Key) {
    with_loop(|node| changed(node, key));
}

/// The socket's interest changed. Whether it keeps the loop alive changes now (libuv's
/// `uv__handle_start`/`stop`); what the poller watches changes right before the next wait, in
/// the order the sockets changed, as libuv applies its `watcher_queue` at the start of
/// `uv__io_poll`. That order decides the order of events in the next poll phase: a socket the
/// kernel already has ready joins epoll's ready list when it is (re)registered.
fn changed(node: &mut Node, key: Key) {
    let Some((handle, want, registered, queued, user_ref)) = TCP.with_borrow(|t| {
        t.get(key).map(|tcp| {
            (
                tcp.handle,
                desired(tcp),
                tcp.registered,
                tcp.queued,
                tcp.user_ref,
            )
        })
    }) else {
        return;
    };
    if !is_empty(want) && !registered {
        // Registered for nothing yet, but active: the loop must not end before the flush.
        register(
            node,
            key,
            handle,
            Interest {
                readable: false,
                writable: false,
            },
        );
    }
    if user_ref && !is_empty(want) {
        node.ref_handle(handle);
    } else {
        node.unref(handle);
    }
    if !queued {
        with_tcp(key, |tcp| tcp.queued = true);
        PENDING.with_borrow_mut(|p| p.push(key));
        start_flusher(node);
    }
}

fn register(node: &mut Node, key: Key, handle: Handle, interest: Interest) {
    let started = node.io_start(handle, interest, move |node, _, event| {
        on_event(node, key, event)
    });
    debug_assert!(started.is_ok(), "a live socket can be registered");
    with_tcp(key, |tcp| tcp.registered = true);
}

fn deregister(node: &mut Node, key: Key, handle: Handle) {
    node.io_stop(handle);
    with_tcp(key, |tcp| tcp.registered = false);
}

/// The prepare handle that applies the changed interests, started with the first socket and
/// unreferenced: it never keeps the loop alive by itself.
fn start_flusher(node: &mut Node) {
    if FLUSHER.get().is_some() {
        return;
    }
    let prepare = node.prepare_init();
    node.set_name(prepare, "apply socket interests");
    node.prepare_start(prepare, |node, _| flush(node));
    node.unref(prepare);
    FLUSHER.set(Some(prepare));
}

fn flush(node: &mut Node) {
    let keys = PENDING.with_borrow_mut(std::mem::take);
    for key in keys {
        let Some((handle, want, registered)) = with_tcp(key, |tcp| {
            tcp.queued = false;
            (tcp.handle, desired(tcp), tcp.registered)
        }) else {
            continue;
        };
        if is_empty(want) {
            if registered {
                deregister(node, key, handle);
            }
        } else {
            register(node, key, handle, want);
        }
    }
}
// ANCHOR_END: interest

fn refresh_interest(node: &mut Node, key: Key) {
    changed(node, key);
}

/// Calls a saved JavaScript function from the loop, then drains the queues (each libuv
/// callback is its own callback scope in Node).
fn call_back(
    node: &mut Node,
    label: &str,
    callback: &Callback,
    args: impl for<'js> FnOnce(&Ctx<'js>) -> rquickjs::Result<Vec<Value<'js>>>,
) {
    let what = if IN_PENDING_PHASE.get() {
        What::Pending(label.to_string())
    } else {
        What::Io(label.to_string())
    };
    make_callback(node, what, |ctx, _| {
        let function = callback.clone().restore(ctx)?;
        let args = args(ctx)?;
        let mut call = rquickjs::function::Args::new(ctx.clone(), args.len());
        call.push_args(args)?;
        function.call_arg::<()>(call)
    });
    node.run_ticks_and_microtasks();
}

// ANCHOR: on_event
/// One I/O event on a socket, in `uv__stream_io`'s order.
fn on_event(node: &mut Node, key: Key, event: Event) {
    if let Some(onconnection) =
        TCP.with_borrow(|t| t.get(key).and_then(|tcp| tcp.listening.clone()))
    {
        accept_all(node, key, &onconnection);
        return;
    }
    if let Some(onconnect) = with_tcp(key, |tcp| tcp.connecting.take()).flatten() {
        finish_connect(node, key, &onconnect);
        return;
    }
    let Some(want) = TCP.with_borrow(|t| t.get(key).map(desired)) else {
        return;
    };
    if is_empty(want) {
        // Nothing wanted (epoll still reports a peer's shutdown): stop watching, as libuv
        // drops an fd it gets an event for but no longer watches.
        if let Some(handle) = handle_of(key) {
            deregister(node, key, handle);
        }
        return;
    }
    if want.readable && (event.readable || event.hangup || event.error) {
        (plugins::active().read_some)(&mut TcpReader { node, key });
    }
    if want.writable && (event.writable || event.hangup || event.error) {
        flush_writes(node, key);
    }
}
// ANCHOR_END: on_event

/// `uv__server_io`: every waiting connection, one callback each.
fn accept_all(node: &mut Node, key: Key, onconnection: &Callback) {
    loop {
        let Some(handle) = handle_of(key) else { return };
        let Some(listener) = node.io_fd(handle) else {
            return;
        };
        let (fd, peer) = match socket::accept(listener) {
            Ok(accepted) => accepted,
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) if e.raw_os_error() == Some(libc::ECONNABORTED) => continue,
            Err(_) => return,
        };
        let client = add(node, fd, new_tcp);
        call_back(node, "net: connection", onconnection, |ctx| {
            let (address, port) = match peer {
                Some(addr) => (addr.ip().to_string(), addr.port()),
                None => (String::new(), 0),
            };
            Ok(vec![
                Value::new_number(ctx.clone(), client),
                rquickjs::String::from_str(ctx.clone(), &address)?.into_value(),
                Value::new_int(ctx.clone(), i32::from(port)),
            ])
        });
    }
}

/// `uv__stream_connect`: the connect finished; tell JavaScript how.
fn finish_connect(node: &mut Node, key: Key, onconnect: &Callback) {
    let Some(handle) = handle_of(key) else { return };
    let error = match node.io_fd(handle).map(socket::take_error) {
        Some(Ok(error)) => error,
        Some(Err(e)) => Some(e),
        None => None,
    };
    refresh_interest(node, key);
    call_back(node, "net: connect", onconnect, |ctx| {
        Ok(vec![match error {
            Some(e) => net_error(ctx, &e, "connect", "")?,
            None => Value::new_null(ctx.clone()),
        }])
    });
}

// ANCHOR: read_some
/// `uv__read`: one readable event. Read until the socket has nothing more for now, one
/// callback per chunk; stop after a short read (the kernel had no more: the next event will
/// say if that changes), at end of file, on an error, or after 32 reads, so that one busy
/// socket cannot keep the others waiting.
pub fn read_some(socket: &mut dyn SocketReader) {
    let mut buf = [0u8; 64 * 1024];
    for _ in 0..32 {
        if !socket.reading() {
            return; // a callback stopped reading, or closed the socket
        }
        match socket.read(&mut buf) {
            Ok(0) => {
                socket.end_of_file();
                return;
            }
            Ok(n) => {
                socket.data(&buf[..n]);
                if n < buf.len() {
                    return;
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => return,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                socket.error(e);
                return;
            }
        }
    }
}
// ANCHOR_END: read_some

/// A TCP connection, as [`read_some`] sees it.
struct TcpReader<'a> {
    node: &'a mut Node,
    key: Key,
}

impl TcpReader<'_> {
    fn onread(&self) -> Option<Callback> {
        TCP.with_borrow(|t| t.get(self.key).and_then(|tcp| tcp.reading.clone()))
    }

    /// Stops reading, as libuv does at end of file or on an error.
    fn stop(&mut self) -> Option<Callback> {
        let onread = with_tcp(self.key, |tcp| tcp.reading.take()).flatten();
        refresh_interest(self.node, self.key);
        onread
    }
}

impl SocketReader for TcpReader<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let fd = handle_of(self.key).and_then(|h| self.node.io_fd(h));
        match fd {
            Some(fd) => eventloops::sys::net::read(fd, buf),
            None => Err(io::Error::from_raw_os_error(libc::EBADF)),
        }
    }

    fn reading(&self) -> bool {
        self.onread().is_some()
    }

    fn data(&mut self, chunk: &[u8]) {
        let Some(onread) = self.onread() else { return };
        call_back(self.node, "net: data", &onread, |ctx| {
            Ok(vec![
                TypedArray::<u8>::new(ctx.clone(), chunk.to_vec())?.into_value(),
            ])
        });
    }

    fn end_of_file(&mut self) {
        let Some(onread) = self.stop() else { return };
        call_back(self.node, "net: end of file", &onread, |ctx| {
            Ok(vec![Value::new_null(ctx.clone())])
        });
    }

    fn error(&mut self, error: io::Error) {
        let Some(onread) = self.stop() else { return };
        call_back(self.node, "net: read error", &onread, |ctx| {
            Ok(vec![net_error(ctx, &error, "read", "")?])
        });
    }
}

/// `uv__write` + `uv__write_callbacks` + `uv__drain`: write what is queued; each finished
/// write calls back; once nothing is queued, a pending shutdown happens and calls back.
fn flush_writes(node: &mut Node, key: Key) {
    let mut finished: Vec<(Callback, Option<io::Error>)> = Vec::new();
    let Some(handle) = handle_of(key) else { return };
    TCP.with_borrow_mut(|t| {
        let Some(tcp) = t.get_mut(key) else { return };
        let Some(fd) = node.io_fd(handle) else { return };
        while let Some(front) = tcp.writes.front_mut() {
            match eventloops::sys::net::write(fd, &front.bytes[front.written..]) {
                Ok(n) => {
                    front.written += n;
                    if front.written == front.bytes.len() {
                        let done = tcp.writes.pop_front().expect("front exists");
                        finished.push((done.done, None));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let done = tcp.writes.pop_front().expect("front exists");
                    finished.push((done.done, Some(e)));
                }
            }
        }
    });
    for (done, error) in finished {
        call_back(node, "net: write done", &done, |ctx| {
            Ok(vec![match &error {
                Some(e) => net_error(ctx, e, "write", "")?,
                None => Value::new_null(ctx.clone()),
            }])
        });
    }
    let waiting = TCP.with_borrow(|t| t.get(key).is_some_and(|tcp| tcp.writes.is_empty()));
    if !waiting {
        return;
    }
    let Some(done) = with_tcp(key, |tcp| tcp.shutdown.take()).flatten() else {
        return;
    };
    let result = node.io_fd(handle).map_or(Ok(()), socket::shutdown_write);
    refresh_interest(node, key);
    call_back(node, "net: shutdown done", &done, |ctx| {
        Ok(vec![match &result {
            Err(e) => net_error(ctx, e, "shutdown", "")?,
            Ok(()) => Value::new_null(ctx.clone()),
        }])
    });
}
// (the read/write helpers above are libuv's stream.c, in Rust)

/// `binding.tcpShutdown(key, oncomplete)`: ends our side once the queued writes are out. With
/// nothing queued, libuv does it in the pending phase (`uv_shutdown` feeds the socket to the
/// pending queue, which libuv >= 1.45 runs right after the poll phase too): a shutdown asked for
/// by an I/O callback completes in the same turn, before the check phase.
fn tcp_shutdown<'js>(ctx: Ctx<'js>, key: Key, oncomplete: Function<'js>) {
    let saved = Persistent::save(&ctx, oncomplete);
    let feed = with_tcp(key, |tcp| {
        tcp.shutdown = Some(saved);
        let feed = tcp.writes.is_empty() && !tcp.fed;
        tcp.fed |= feed;
        feed
    });
    if feed == Some(true) {
        with_loop(|node| {
            node.queue_pending(move |node| {
                with_tcp(key, |tcp| tcp.fed = false);
                IN_PENDING_PHASE.set(true);
                flush_writes(node, key);
                IN_PENDING_PHASE.set(false);
                refresh_interest(node, key);
            })
        });
    }
    update_interest(key);
}

/// `binding.tcpListen(host, port, backlog, onconnection)`: bind and listen now (Node does too,
/// and emits `'listening'` on the next tick); returns the key.
fn tcp_listen<'js>(
    ctx: Ctx<'js>,
    host: String,
    port: u16,
    backlog: i32,
    onconnection: Function<'js>,
) -> rquickjs::Result<Key> {
    let Some(addr) = socket_addr(&host, port) else {
        return Err(rquickjs::Exception::throw_type(
            &ctx,
            &format!("not a numeric address: {host}"),
        ));
    };
    let fd = match socket::listen(addr, backlog) {
        Ok(fd) => fd,
        Err(e) => {
            let error = net_error(&ctx, &e, "listen", &format!("{host}:{port}"))?;
            return Err(throw(&ctx, error));
        }
    };
    let saved = Persistent::save(&ctx, onconnection);
    let key = with_loop(|node| {
        add(node, fd, |handle| Tcp {
            listening: Some(saved),
            ..new_tcp(handle)
        })
    });
    update_interest(key);
    Ok(key)
}

/// `binding.tcpConnect(host, port, onconnect)`: a non-blocking connect; `onconnect(error)` runs
/// in the poll phase once it has finished.
fn tcp_connect<'js>(
    ctx: Ctx<'js>,
    host: String,
    port: u16,
    onconnect: Function<'js>,
) -> rquickjs::Result<Key> {
    let Some(addr) = socket_addr(&host, port) else {
        return Err(rquickjs::Exception::throw_type(
            &ctx,
            &format!("not a numeric address: {host}"),
        ));
    };
    let (fd, _connected_already) = match socket::connect(addr) {
        Ok(started) => started,
        Err(e) => {
            let error = net_error(&ctx, &e, "connect", &format!("{host}:{port}"))?;
            return Err(throw(&ctx, error));
        }
    };
    // Connected at once or not, the callback waits for the socket to be writable, which it is
    // already if so: it runs in the next poll phase either way, as libuv defers it.
    let saved = Persistent::save(&ctx, onconnect);
    let key = with_loop(|node| {
        add(node, fd, |handle| Tcp {
            connecting: Some(saved),
            ..new_tcp(handle)
        })
    });
    update_interest(key);
    Ok(key)
}

/// `binding.tcpWrite(key, bytes, oncomplete)`: writes at once what the kernel takes; returns
/// `true` if it took everything (the callback is then not kept: JavaScript calls back on the
/// next tick, as Node does for a write that finished synchronously), or queues the rest.
fn tcp_write<'js>(
    ctx: Ctx<'js>,
    key: Key,
    bytes: TypedArray<'js, u8>,
    oncomplete: Function<'js>,
) -> rquickjs::Result<bool> {
    let bytes = super::buffer::bytes_of(&bytes);
    let Some(handle) = handle_of(key) else {
        let e = io::Error::from_raw_os_error(libc::EBADF);
        return Err(throw(&ctx, net_error(&ctx, &e, "write", "")?));
    };
    let queued = TCP.with_borrow(|t| t.get(key).is_some_and(|tcp| !tcp.writes.is_empty()));
    let mut written = 0;
    if !queued {
        let result = with_loop(|node| {
            let Some(fd) = node.io_fd(handle) else {
                return Err(io::Error::from_raw_os_error(libc::EBADF));
            };
            let mut written = 0;
            while written < bytes.len() {
                match eventloops::sys::net::write(fd.as_fd(), &bytes[written..]) {
                    Ok(n) => written += n,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) => return Err(e),
                }
            }
            Ok(written)
        });
        match result {
            Ok(n) => written = n,
            Err(e) => return Err(throw(&ctx, net_error(&ctx, &e, "write", "")?)),
        }
    }
    if written == bytes.len() {
        return Ok(true);
    }
    let done = Persistent::save(&ctx, oncomplete);
    with_tcp(key, |tcp| {
        tcp.writes.push_back(QueuedWrite {
            bytes,
            written,
            done,
        })
    });
    update_interest(key);
    Ok(false)
}

/// `binding.tcpClose(key, onclose)`: closes the socket now (its fd too) and calls `onclose` in
/// the closing phase, Node's `'close'`. Queued writes and a pending shutdown are dropped.
fn tcp_close<'js>(ctx: Ctx<'js>, key: Key, onclose: Opt<Function<'js>>) {
    let Some(tcp) = TCP.with_borrow_mut(|t| t.remove(key)) else {
        return;
    };
    let onclose = onclose.0.map(|f| Persistent::save(&ctx, f));
    with_loop(|node| {
        node.close(tcp.handle, move |node, _| {
            if let Some(onclose) = onclose {
                make_callback(node, What::Close("net: close".into()), |ctx, _| {
                    onclose.restore(ctx)?.call::<_, ()>(())
                });
                node.run_ticks_and_microtasks();
            }
        });
    });
}

/// `[address, family, port]` of the socket's own end, or its peer's; `undefined` if unknown.
fn address<'js>(ctx: &Ctx<'js>, key: Key, peer: bool) -> rquickjs::Result<Value<'js>> {
    let Some(handle) = handle_of(key) else {
        return Ok(Value::new_undefined(ctx.clone()));
    };
    let addr = with_loop(|node| {
        node.io_fd(handle).and_then(|fd| {
            if peer {
                socket::peer_addr(fd).ok().flatten()
            } else {
                socket::local_addr(fd).ok().flatten()
            }
        })
    });
    let Some(addr) = addr else {
        return Ok(Value::new_undefined(ctx.clone()));
    };
    let out = rquickjs::Array::new(ctx.clone())?;
    out.set(0, addr.ip().to_string())?;
    out.set(1, if addr.is_ipv4() { "IPv4" } else { "IPv6" })?;
    out.set(2, addr.port())?;
    Ok(out.into_value())
}
