// The `process` object: an EventEmitter with the program's arguments, environment, exit code
// and the exit sequence (Node's lib/internal/bootstrap/node.js and lib/internal/process/*).
'use strict';

const EventEmitter = require('events');
const { notSupported, invalidArgType } = require('errors');

const process = new EventEmitter();
let exitCode;

// Signal events need a signal handle per signal (chapter 9 has them); this runtime does not wire
// them up, so asking for one is a clear error rather than a listener that never runs.
const addListener = process._add;
process._add = function add(name, listener, prepend) {
  if (typeof name === 'string' && /^SIG[A-Z0-9]+$/.test(name)) {
    throw notSupported(`signal events (process.on('${name}'))`);
  }
  return addListener.call(this, name, listener, prepend);
};

Object.defineProperty(process, Symbol.toStringTag, { value: 'process', enumerable: false });
process.title = 'ch11-node';
process.version = binding.nodeVersion;
process.versions = { node: binding.nodeVersion.slice(1), quickjs: binding.engineVersion };
process.platform = binding.platform;
process.arch = binding.arch;
process.pid = binding.pid;
process.execPath = binding.execPath;
process.execArgv = [];
process.argv = binding.argv.slice();
process.argv0 = 'node';
process.env = binding.env;
process.release = { name: 'node' };
process._exiting = false;

// process.exitCode: an integer, or undefined; Node 20 refuses anything else.
Object.defineProperty(process, 'exitCode', {
  enumerable: true,
  configurable: false,
  get() { return exitCode; },
  set(code) {
    if (code !== null && code !== undefined) {
      let value = code;
      if (typeof code === 'string' && code !== '' && Number.isInteger(+code)) value = +code;
      if (!Number.isInteger(value)) throw invalidArgType('code', 'number', code);
    }
    exitCode = code;
  },
});

process.cwd = () => binding.cwd();
process.uptime = () => binding.uptime();

// process.hrtime([previous]) and process.hrtime.bigint(): the monotonic clock.
function hrtime(previous) {
  const now = binding.hrtime();
  let seconds = Number(now / 1000000000n);
  let nanos = Number(now % 1000000000n);
  if (previous !== undefined) {
    seconds -= previous[0];
    nanos -= previous[1];
    if (nanos < 0) {
      seconds -= 1;
      nanos += 1e9;
    }
  }
  return [seconds, nanos];
}
hrtime.bigint = () => binding.hrtime();
process.hrtime = hrtime;

process.memoryUsage = () => { throw notSupported('process.memoryUsage()'); };
process.kill = () => { throw notSupported('process.kill()'); };
process.abort = () => { throw notSupported('process.abort()'); };
process.chdir = () => { throw notSupported('process.chdir()'); };

// ANCHOR: exit
// process.exit(code): only the 'exit' listeners run, then the process ends; nothing queued
// runs. `reallyExit` unwinds the JavaScript stack with an exception no `catch` can stop.
process.exit = function exit(code) {
  if (code !== undefined) process.exitCode = code;
  if (!process._exiting) {
    process._exiting = true;
    process.emit('exit', process.exitCode ?? 0);
  }
  binding.reallyExit(process.exitCode ?? 0);
};
// ANCHOR_END: exit
process.reallyExit = (code) => binding.reallyExit(code ?? 0);

// The loop calls these when it runs dry, and at the end.
function emitBeforeExit() {
  if (process._exiting) return;
  process.emit('beforeExit', process.exitCode ?? 0);
}

function emitExit() {
  if (!process._exiting) {
    process._exiting = true;
    process.emit('exit', process.exitCode ?? 0);
  }
  return process.exitCode ?? 0;
}

// process.emitWarning: a 'warning' event on the next tick. Node's own listener prints it on
// stderr; a program's listeners see it too.
process.emitWarning = function emitWarning(warning, type, code) {
  if (typeof type === 'object' && type !== null) {
    code = type.code;
    type = type.type;
  }
  if (typeof warning === 'string') {
    const err = new Error(warning);
    err.name = type || 'Warning';
    if (code !== undefined) err.code = code;
    warning = err;
  }
  process.nextTick(() => process.emit('warning', warning));
};
process.on('warning', (warning) => {
  binding.writeStderr(`(node:${process.pid}) ${warning.name}: ${warning.message}\n`);
});

process.stdout = {
  write(chunk, encoding, callback) {
    binding.writeStdout(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    if (typeof encoding === 'function') callback = encoding;
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  },
  isTTY: binding.isatty(1),
  fd: 1,
};
process.stderr = {
  write(chunk, encoding, callback) {
    binding.writeStderr(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
    if (typeof encoding === 'function') callback = encoding;
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  },
  isTTY: binding.isatty(2),
  fd: 2,
};
Object.defineProperty(process, 'stdin', {
  get() { throw notSupported('process.stdin'); },
});

module.exports = { process, emitBeforeExit, emitExit };
