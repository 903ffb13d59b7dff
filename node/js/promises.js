// Unhandled promise rejections, Node 20's default mode (`--unhandled-rejections=throw`), as in
// Node's lib/internal/process/promises.js.
//
// The engine tells `onRejection` when a promise is rejected with no handler, and again if a
// handler is attached later. After each microtask drain the checkpoint calls
// `processRejections`: every promise still unhandled by then gets an 'unhandledRejection'
// event, or, with no listener, becomes an uncaught exception.
'use strict';

const maybeUnhandled = new WeakMap();
let pending = [];
let handledLate = [];

function onRejection(promise, reason, handled) {
  if (!handled) {
    maybeUnhandled.set(promise, { reason, warned: false });
    pending.push(promise);
    binding.setRejectionToWarn(true);
    return;
  }
  const info = maybeUnhandled.get(promise);
  if (info === undefined) return;
  maybeUnhandled.delete(promise);
  if (info.warned) {
    handledLate.push(promise);
    binding.setRejectionToWarn(true);
  }
}

function isErrorLike(value) {
  return typeof value === 'object' && value !== null &&
    (Object.prototype.hasOwnProperty.call(value, 'stack') || value instanceof Error);
}

function unhandledRejectionError(reason) {
  let shown;
  try {
    shown = require('util').inspect(reason);
  } catch {
    shown = String(reason);
  }
  const err = new Error(
    'This error originated either by throwing inside of an async function without a catch ' +
    'block, or by rejecting a promise which was not handled with .catch(). The promise ' +
    `rejected with the reason "${shown}".`);
  err.code = 'ERR_UNHANDLED_REJECTION';
  return err;
}

// Returns whether it ran any JavaScript (the checkpoint then drains the queues again).
function processRejections() {
  let ranSomething = false;
  while (handledLate.length > 0) {
    const promise = handledLate.shift();
    process.emit('rejectionHandled', promise);
    ranSomething = true;
  }
  let count = pending.length;
  while (count-- > 0) {
    const promise = pending.shift();
    const info = maybeUnhandled.get(promise);
    if (info === undefined) continue;
    info.warned = true;
    const { reason } = info;
    if (!process.emit('unhandledRejection', reason, promise)) {
      const err = isErrorLike(reason) ? reason : unhandledRejectionError(reason);
      require('errors').triggerUncaughtException(err, true);
    }
    ranSomething = true;
  }
  binding.setRejectionToWarn(pending.length !== 0 || handledLate.length !== 0);
  return ranSomething || pending.length !== 0;
}

module.exports = { onRejection, processRejections };
