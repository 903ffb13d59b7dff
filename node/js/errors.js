// Uncaught exceptions (Node's process._fatalException, lib/internal/process/execution.js) and
// the error helpers the library shares.
'use strict';

// The error every part of Node this runtime does not implement throws.
function notSupported(what) {
  const err = new Error(`not supported by this runtime: ${what}`);
  err.code = 'ERR_NOT_SUPPORTED_BY_CH11';
  return err;
}

function received(value) {
  if (value === null || value === undefined) return ` Received ${value}`;
  if (typeof value === 'function') return ` Received function ${value.name}`;
  if (typeof value === 'object') {
    const name = value.constructor && value.constructor.name;
    return name ? ` Received an instance of ${name}` : ` Received ${require('util').inspect(value, { depth: -1 })}`;
  }
  let shown = require('util').inspect(value);
  if (shown.length > 28) shown = `${shown.slice(0, 25)}...`;
  return ` Received type ${typeof value} (${shown})`;
}

function invalidArgType(name, expected, value) {
  const err = new TypeError(`The "${name}" argument must be of type ${expected}.${received(value)}`);
  err.code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

function validateFunction(value, name) {
  if (typeof value !== 'function') throw invalidArgType(name, 'function', value);
}

function noop() {}

// ANCHOR: uncaught
// An exception nobody caught: 'uncaughtException' listeners, or the end. Returns when a
// listener handled it; otherwise runs the 'exit' listeners, prints the error and exits with
// code 1 (or the exit code an 'exit' listener set). `fromPromise` says it was an unhandled
// rejection.
function triggerUncaughtException(err, fromPromise) {
  const origin = fromPromise ? 'unhandledRejection' : 'uncaughtException';
  process.emit('uncaughtExceptionMonitor', err, origin);
  if (process.emit('uncaughtException', err, origin)) {
    // As Node does: make sure the next check phase runs, so the ticks of the callback that
    // threw get their turn.
    require('timers').setImmediate(noop);
    return;
  }
  try {
    if (!process._exiting) {
      process._exiting = true;
      process.exitCode = 1;
      process.emit('exit', 1);
    }
  } catch {
    // An 'exit' listener that throws while the process dies changes nothing.
  }
  printUncaught(err);
  binding.reallyExit(process.exitCode ?? 1);
}
// ANCHOR_END: uncaught

// What Node prints for an uncaught error: the stack (the source line with a caret that Node
// shows first needs V8's message object; QuickJS has none).
function printUncaught(err) {
  let text;
  try {
    text = require('util').inspect(err);
    if (!(err instanceof Error)) text = `Uncaught ${text}`;
  } catch {
    text = 'Uncaught exception';
  }
  binding.writeStderr(`${text}\n\nch11-node (QuickJS ${binding.engineVersion})\n`);
}

module.exports = {
  notSupported,
  invalidArgType,
  validateFunction,
  triggerUncaughtException,
  printUncaught,
};
