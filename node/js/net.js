// require('net'): TCP servers and sockets (Node's lib/net.js). A Socket here is not a full
// stream.Duplex, but it keeps the state machine of Node's streams where it decides the order of
// events: 'data' straight from the read callback while flowing, 'end' on the tick after end of
// file, then (allowHalfOpen false) end() on the tick after that; end() waits for the shutdown
// to finish in a later poll phase; 'finish' on the tick after; once both sides are done the
// socket destroys itself, and 'close' comes from the handle's close callback, in the closing
// phase. A server's 'close' comes on the tick after its last connection is destroyed.
'use strict';

const EventEmitter = require('events');
const { Buffer, StringDecoder } = require('buffer');
const { notSupported, invalidArgType } = require('errors');

const kNone = -1;
const highWaterMark = 16 * 1024;

function isIP(host) {
  if (typeof host !== 'string') return 0;
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host)) return 4;
  if (host.includes(':') && /^[0-9a-fA-F:.]+$/.test(host)) return 6;
  return 0;
}

// Calls `then(address)` with a host's address: a numeric one on the next tick (as Node's
// dns.lookup answers it), a name once chapter 9's pool has looked it up (a poll phase later).
function resolve(host, onError, then) {
  if (isIP(host)) {
    process.nextTick(then, host);
    return;
  }
  require('dns').lookup(host, (err, address) => (err ? onError(err) : then(address)));
}

function toBytes(chunk, encoding) {
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding);
  if (chunk instanceof Uint8Array) return chunk;
  throw invalidArgType('chunk', 'string or an instance of Buffer or Uint8Array', chunk);
}

class Socket extends EventEmitter {
  constructor(options = {}) {
    super();
    this._key = kNone;
    this.connecting = false;
    this.destroyed = false;
    this.allowHalfOpen = Boolean(options.allowHalfOpen);
    this._server = null;
    this._decoder = null;
    this._refed = true;
    this.bytesRead = 0;
    this._bytesWritten = 0;
    // The readable side.
    this._flowing = null;
    this._buffer = [];
    this._reading = false;
    this._resumeScheduled = false;
    this._readEnded = false; // end of file seen
    this._endEmitted = false;
    // The writable side.
    this._ending = false; // end() called
    this._finished = false; // the shutdown finished, 'finish' emitted
    this._pendingWrites = 0;
    this._writeQueue = []; // writes made while connecting
    this._finalCalled = false;
    if (options.handle !== undefined) {
      this._key = options.handle;
      this._readStart();
    }
  }

  get readyState() {
    if (this.connecting) return 'opening';
    const readable = !this._readEnded && !this.destroyed;
    const writable = !this._ending && !this.destroyed;
    if (readable && writable) return 'open';
    if (readable) return 'readOnly';
    if (writable) return 'writeOnly';
    return 'closed';
  }

  get pending() { return this._key === kNone || this.connecting; }
  get readable() { return !this.destroyed && !this._endEmitted && !this._readEnded; }
  get writable() { return !this.destroyed && !this._ending; }
  get writableEnded() { return this._ending; }
  get writableFinished() { return this._finished; }
  get readableEnded() { return this._endEmitted; }
  get bytesWritten() { return this._bytesWritten; }

  get remoteAddress() { return this._address(true)?.[0]; }
  get remoteFamily() { return this._address(true)?.[1]; }
  get remotePort() { return this._address(true)?.[2]; }
  get localAddress() { return this._address(false)?.[0]; }
  get localPort() { return this._address(false)?.[2]; }

  _address(peer) {
    if (this._key === kNone) return undefined;
    return binding.tcpAddress(this._key, peer);
  }

  address() {
    const a = this._address(false);
    return a === undefined ? {} : { address: a[0], family: a[1], port: a[2] };
  }

  connect(...args) {
    const [options, listener] = normalizeConnectArgs(args);
    if (this.destroyed) {
      this.destroyed = false;
    }
    if (typeof listener === 'function') this.once('connect', listener);
    const host = options.host || 'localhost';
    const port = Number(options.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      const err = new RangeError(`Port should be >= 0 and < 65536. Received ${options.port}.`);
      err.code = 'ERR_SOCKET_BAD_PORT';
      throw err;
    }
    this.connecting = true;
    this._port = port;
    // Node connects to a numeric address on the next tick, to a name after its DNS lookup.
    resolve(host, (err) => {
      if (this.connecting && !this.destroyed) this.destroy(err);
    }, (address) => {
      if (!isIP(host)) this.emit('lookup', null, address, isIP(address), host);
      this._host = address;
      if (this.connecting && !this.destroyed) this._internalConnect();
    });
    return this;
  }

  _internalConnect() {
    try {
      this._key = binding.tcpConnect(this._host, this._port, (err) => this._afterConnect(err));
    } catch (err) {
      this.destroy(connectError(err, this._host, this._port));
      return;
    }
    if (!this._refed) binding.tcpRef(this._key, false);
  }

  _afterConnect(err) {
    if (this.destroyed) return;
    this.connecting = false;
    if (err) {
      this.destroy(connectError(err, this._host, this._port));
      return;
    }
    this.emit('connect');
    this.emit('ready');
    const queued = this._writeQueue;
    this._writeQueue = [];
    for (const [bytes, cb] of queued) this._writeNow(bytes, cb);
    if (this._ending && !this._finalCalled) this._final();
    if (this._flowing !== false) this._readStart();
  }

  // ---- reading ----

  setEncoding(encoding = 'utf8') {
    this._decoder = new StringDecoder(encoding);
    return this;
  }

  _readStart() {
    if (this._reading || this._readEnded || this._key === kNone || this.connecting) return;
    this._reading = true;
    binding.tcpReadStart(this._key, (chunk) => this._onread(chunk));
  }

  _readStop() {
    if (!this._reading) return;
    this._reading = false;
    if (this._key !== kNone) binding.tcpReadStop(this._key);
  }

  // ANCHOR: onread
  // The read callback (Node's onStreamRead): data, end of file (null) or an error.
  _onread(chunk) {
    if (this.destroyed) return;
    if (chunk === null) {
      this._reading = false;
      this._readEnded = true;
      if (this._buffer.length === 0) this._endReadable();
      else this._flow();
      return;
    }
    if (chunk instanceof Error) {
      this._reading = false;
      this.destroy(chunk);
      return;
    }
    const buf = new Buffer(chunk.buffer, chunk.byteOffset, chunk.length);
    this.bytesRead += buf.length;
    if (this._flowing && this._buffer.length === 0 && this.listenerCount('data') > 0) {
      this._emitData(buf);
    } else {
      this._buffer.push(buf);
      if (this._bufferedBytes() >= highWaterMark) this._readStop();
    }
  }
  // ANCHOR_END: onread

  _bufferedBytes() {
    return this._buffer.reduce((n, b) => n + b.length, 0);
  }

  _emitData(buf) {
    this.emit('data', this._decoder ? this._decoder.write(buf) : buf);
  }

  // Adding a 'data' listener starts the flow, as on any Node readable stream.
  _add(name, listener, prepend) {
    super._add(name, listener, prepend);
    if (name === 'data' && this._flowing !== false) this.resume();
    return this;
  }

  resume() {
    if (!this._flowing) {
      this._flowing = true;
      if (!this._resumeScheduled) {
        this._resumeScheduled = true;
        process.nextTick(() => {
          this._resumeScheduled = false;
          this._readStart();
          this.emit('resume');
          this._flow();
        });
      }
    }
    return this;
  }

  pause() {
    if (this._flowing !== false) {
      this._flowing = false;
      this.emit('pause');
    }
    return this;
  }

  isPaused() {
    return this._flowing === false;
  }

  // Emits what was buffered while paused; at the end of the data, 'end'.
  _flow() {
    while (this._flowing && this._buffer.length > 0 && !this.destroyed) {
      this._emitData(this._buffer.shift());
    }
    if (this._buffer.length === 0) {
      if (this._readEnded) this._endReadable();
      else if (this._flowing && !this.connecting) this._readStart();
    }
  }

  _endReadable() {
    if (this._endScheduled) return;
    this._endScheduled = true;
    process.nextTick(() => {
      if (this.destroyed || this._endEmitted || this._buffer.length > 0) return;
      this._endEmitted = true;
      if (this._decoder) {
        const rest = this._decoder.end();
        if (rest) this.emit('data', rest);
      }
      this.emit('end');
      if (this.writable && !this.allowHalfOpen) {
        process.nextTick(() => {
          if (this.writable) this.end();
        });
      } else if (this._finished) {
        this.destroy(); // both sides are done
      }
    });
  }

  // ---- writing ----

  write(chunk, encoding, cb) {
    if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    if (this._ending) {
      const err = new Error('write after end');
      err.code = 'ERR_STREAM_WRITE_AFTER_END';
      process.nextTick(() => {
        if (typeof cb === 'function') cb(err);
        this.destroy(err);
      });
      return false;
    }
    if (this.destroyed) {
      const err = new Error('Cannot call write after a stream was destroyed');
      err.code = 'ERR_STREAM_DESTROYED';
      if (typeof cb === 'function') process.nextTick(cb, err);
      return false;
    }
    const bytes = toBytes(chunk, encoding);
    if (this.connecting || this._key === kNone) {
      this._writeQueue.push([bytes, cb]);
      this._pendingWrites += bytes.length;
      return this._pendingWrites < highWaterMark;
    }
    this._writeNow(bytes, cb);
    return this._pendingWrites < highWaterMark;
  }

  _writeNow(bytes, cb) {
    let sync;
    this._pendingWrites += bytes.length;
    try {
      sync = binding.tcpWrite(this._key, bytes, (err) => this._afterWrite(bytes.length, err, cb));
    } catch (err) {
      this._pendingWrites -= bytes.length;
      process.nextTick(() => {
        if (typeof cb === 'function') cb(err);
        this.destroy(err);
      });
      return;
    }
    if (sync) {
      this._bytesWritten += bytes.length;
      this._pendingWrites -= bytes.length;
      if (typeof cb === 'function') process.nextTick(cb, null);
    }
  }

  _afterWrite(length, err, cb) {
    this._pendingWrites -= length;
    if (err) {
      if (typeof cb === 'function') cb(err);
      this.destroy(err);
      return;
    }
    this._bytesWritten += length;
    if (typeof cb === 'function') cb(null);
    if (this._pendingWrites === 0) this.emit('drain');
  }

  end(chunk, encoding, cb) {
    if (typeof chunk === 'function') {
      cb = chunk;
      chunk = undefined;
    } else if (typeof encoding === 'function') {
      cb = encoding;
      encoding = undefined;
    }
    if (chunk !== undefined && chunk !== null) this.write(chunk, encoding);
    if (typeof cb === 'function') this.once('finish', cb);
    if (this._ending || this.destroyed) return this;
    this._ending = true;
    if (!this.connecting && this._key !== kNone) this._final();
    return this;
  }

  // Writable's _final: shut our side down once the writes are out (libuv does it when the
  // socket is next writable, in a poll phase); 'finish' on the tick after.
  _final() {
    this._finalCalled = true;
    binding.tcpShutdown(this._key, () => {
      if (this.destroyed) return;
      this.emit('prefinish');
      process.nextTick(() => {
        if (this.destroyed) return;
        this._finished = true;
        this.emit('finish');
        if (this._endEmitted) this.destroy(); // both sides are done
      });
    });
  }

  destroySoon() {
    if (this._ending) this.once('finish', () => this.destroy());
    else this.end(() => this.destroy());
  }

  destroy(err) {
    if (this.destroyed) return this;
    this.destroyed = true;
    this.connecting = false;
    this._reading = false;
    const hadError = err !== undefined && err !== null;
    if (hadError) process.nextTick(() => this.emit('error', err));
    if (this._key !== kNone) {
      binding.tcpClose(this._key, () => this.emit('close', hadError));
      this._key = kNone;
    } else {
      process.nextTick(() => this.emit('close', hadError));
    }
    if (this._server) {
      this._server._connections--;
      this._server._emitCloseIfDrained();
    }
    return this;
  }

  resetAndDestroy() {
    return this.destroy();
  }

  setNoDelay(noDelay = true) {
    if (this._key !== kNone) binding.tcpSetNoDelay(this._key, Boolean(noDelay));
    return this;
  }

  setKeepAlive() { return this; }

  setTimeout() { throw notSupported('socket.setTimeout()'); }

  ref() {
    this._refed = true;
    if (this._key !== kNone) binding.tcpRef(this._key, true);
    return this;
  }

  unref() {
    this._refed = false;
    if (this._key !== kNone) binding.tcpRef(this._key, false);
    return this;
  }

  pipe() { throw notSupported('socket.pipe()'); }
}

function connectError(err, host, port) {
  if (err && err.syscall === 'connect') {
    err.message = `connect ${err.code} ${host}:${port}`;
    err.address = host;
    err.port = port;
  }
  return err;
}

function normalizeConnectArgs(args) {
  let options = {};
  let i = 0;
  if (args[0] !== null && typeof args[0] === 'object') {
    options = { ...args[0] };
    i = 1;
  } else {
    if (args[0] !== undefined) options.port = args[0];
    i = 1;
    if (typeof args[1] === 'string') {
      options.host = args[1];
      i = 2;
    }
  }
  if (options.path !== undefined) throw notSupported('Unix domain sockets');
  const listener = args[i];
  return [options, typeof listener === 'function' ? listener : undefined];
}

class Server extends EventEmitter {
  constructor(options, connectionListener) {
    super();
    if (typeof options === 'function') {
      connectionListener = options;
      options = {};
    }
    this._options = options ?? {};
    if (typeof connectionListener === 'function') this.on('connection', connectionListener);
    this._key = kNone;
    this._connections = 0;
    this._refed = true;
    this._address = null;
  }

  get listening() { return this._key !== kNone; }

  listen(...args) {
    let port = 0;
    let host;
    let backlog = 511;
    let callback;
    if (typeof args[args.length - 1] === 'function') callback = args.pop();
    if (args[0] !== null && typeof args[0] === 'object') {
      ({ port = 0, host, backlog = 511 } = args[0]);
      if (args[0].path !== undefined) throw notSupported('Unix domain sockets');
    } else {
      if (args[0] !== undefined) port = args[0];
      if (typeof args[1] === 'string') host = args[1];
      else if (typeof args[1] === 'number') backlog = args[1];
      if (typeof args[2] === 'number') backlog = args[2];
    }
    port = Number(port);
    if (typeof callback === 'function') this.once('listening', callback);
    if (host === undefined || host === null) {
      this._listen('::', port, backlog); // Node listens on the unspecified address at once
    } else {
      // With a host, Node looks it up first (dns.lookup answers a numeric address on the next
      // tick), so the socket listens one tick later, or after the lookup.
      resolve(host, (err) => this.emit('error', err), (address) => this._listen(address, port, backlog));
    }
    return this;
  }

  _listen(address, port, backlog) {
    try {
      this._key = binding.tcpListen(address, port, backlog, (key) => this._onconnection(key));
    } catch (err) {
      process.nextTick(() => this.emit('error', err));
      return;
    }
    if (!this._refed) binding.tcpRef(this._key, false);
    const a = binding.tcpAddress(this._key, false);
    this._address = { address: a[0], family: a[1], port: a[2] };
    process.nextTick(() => this.emit('listening'));
  }

  _onconnection(key) {
    const socket = new Socket({ handle: key, allowHalfOpen: this._options.allowHalfOpen });
    socket._server = this;
    socket.server = this;
    this._connections++;
    this.emit('connection', socket);
  }

  address() {
    return this._key === kNone ? null : this._address;
  }

  close(cb) {
    if (typeof cb === 'function') {
      if (this._key === kNone) {
        this.once('close', () => {
          const err = new Error('Server is not running.');
          err.code = 'ERR_SERVER_NOT_RUNNING';
          cb(err);
        });
      } else {
        this.once('close', cb);
      }
    }
    if (this._key !== kNone) {
      binding.tcpClose(this._key);
      this._key = kNone;
    }
    this._emitCloseIfDrained();
    return this;
  }

  _emitCloseIfDrained() {
    if (this._key !== kNone || this._connections > 0) return;
    process.nextTick(() => this.emit('close'));
  }

  getConnections(cb) {
    process.nextTick(cb, null, this._connections);
    return this;
  }

  ref() {
    this._refed = true;
    if (this._key !== kNone) binding.tcpRef(this._key, true);
    return this;
  }

  unref() {
    this._refed = false;
    if (this._key !== kNone) binding.tcpRef(this._key, false);
    return this;
  }
}

function createServer(options, connectionListener) {
  return new Server(options, connectionListener);
}

function connect(...args) {
  const [options] = normalizeConnectArgs(args);
  const socket = new Socket(options);
  return socket.connect(...args);
}

module.exports = {
  Server,
  Socket,
  Stream: Socket,
  createServer,
  connect,
  createConnection: connect,
  isIP,
  isIPv4: (host) => isIP(host) === 4,
  isIPv6: (host) => isIP(host) === 6,
};
