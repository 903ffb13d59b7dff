// setTimeout, setInterval, setImmediate and their Timeout and Immediate objects, as Node's
// lib/timers.js and lib/internal/timers.js shape them. The lists themselves are chapter 8's, in
// Rust: a Timeout here holds the key of its entry there (`kKey`), and the loop calls
// `runTimeout(timeout)` when it is due.
'use strict';

const { validateFunction } = require('errors');

const TIMEOUT_MAX = 2 ** 31 - 1;
const kKey = Symbol('key');
const kRefed = Symbol('refed');
const kId = Symbol('asyncId');
const kNone = -1;

let lastId = 0;
const knownById = new Map();

// Node's delay coercion: anything that is not a number in [1, 2^31 - 1] becomes 1 ms, and too
// large a delay also gets a warning.
function coerceDelay(after) {
  after *= 1;
  if (!(after >= 1 && after <= TIMEOUT_MAX)) {
    if (after > TIMEOUT_MAX) {
      process.emitWarning(
        `${after} does not fit into a 32-bit signed integer.\nTimeout duration was set to 1.`,
        'TimeoutOverflowWarning');
    }
    after = 1;
  }
  return after;
}

class Timeout {
  constructor(callback, after, args, isRepeat) {
    after = coerceDelay(after);
    this._idleTimeout = after;
    this._onTimeout = callback;
    this._timerArgs = args;
    this._repeat = isRepeat ? after : null;
    this._destroyed = false;
    this[kRefed] = true;
    this[kId] = ++lastId;
    this[kKey] = binding.timerStart(this, after, isRepeat);
  }

  // Starts the timer again from now, with the same delay; a timer that already ran runs again.
  // A cleared timer stays cleared.
  refresh() {
    if (this._idleTimeout < 0) return this;
    if (this[kKey] !== kNone) binding.timerStop(this[kKey]);
    this._destroyed = false;
    this[kKey] = binding.timerStart(this, this._idleTimeout, this._repeat !== null);
    if (!this[kRefed]) binding.timerRef(this[kKey], false);
    return this;
  }

  ref() {
    if (!this[kRefed]) {
      this[kRefed] = true;
      if (this[kKey] !== kNone) binding.timerRef(this[kKey], true);
    }
    return this;
  }

  unref() {
    if (this[kRefed]) {
      this[kRefed] = false;
      if (this[kKey] !== kNone) binding.timerRef(this[kKey], false);
    }
    return this;
  }

  hasRef() {
    return this[kRefed];
  }

  close() {
    clearTimeout(this);
    return this;
  }

  [Symbol.toPrimitive]() {
    knownById.set(this[kId], this);
    return this[kId];
  }
}

// The loop calls this when a Timeout is due. A one-shot timer's entry is gone by now; if the
// callback refreshes it, it gets a new one.
function runTimeout(timer) {
  if (timer._repeat === null) timer[kKey] = kNone;
  try {
    const args = timer._timerArgs;
    if (args === undefined) timer._onTimeout();
    else timer._onTimeout(...args);
  } finally {
    if (timer._repeat === null && timer[kKey] === kNone && !timer._destroyed) {
      timer._destroyed = true;
      knownById.delete(timer[kId]);
    }
  }
}

function unenroll(timer) {
  if (timer._destroyed && timer[kKey] === kNone) {
    timer._idleTimeout = -1;
    return;
  }
  if (timer[kKey] !== kNone) binding.timerStop(timer[kKey]);
  timer[kKey] = kNone;
  timer._destroyed = true;
  timer._idleTimeout = -1;
  knownById.delete(timer[kId]);
}

function setTimeout(callback, after, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, after, args.length === 0 ? undefined : args, false);
}

function setInterval(callback, repeat, ...args) {
  validateFunction(callback, 'callback');
  return new Timeout(callback, repeat, args.length === 0 ? undefined : args, true);
}

function clearTimeout(timer) {
  if (timer && timer._onTimeout) {
    timer._onTimeout = null;
    unenroll(timer);
    return;
  }
  if (typeof timer === 'number' || typeof timer === 'string') {
    const known = knownById.get(Number(timer));
    if (known !== undefined) {
      known._onTimeout = null;
      unenroll(known);
    }
  }
}

class Immediate {
  constructor(callback, args) {
    this._onImmediate = callback;
    this._argv = args;
    this._destroyed = false;
    this[kRefed] = true;
    this[kKey] = binding.immediateStart(this);
  }

  ref() {
    if (!this._destroyed && !this[kRefed]) {
      this[kRefed] = true;
      binding.immediateRef(this[kKey], true);
    }
    return this;
  }

  unref() {
    if (!this._destroyed && this[kRefed]) {
      this[kRefed] = false;
      binding.immediateRef(this[kKey], false);
    }
    return this;
  }

  hasRef() {
    return !!this[kRefed];
  }
}

// The loop calls this for each immediate of the check phase.
function runImmediate(immediate) {
  immediate._destroyed = true;
  immediate[kRefed] = null;
  const callback = immediate._onImmediate;
  try {
    const argv = immediate._argv;
    if (argv === undefined) callback.call(immediate);
    else callback.apply(immediate, argv);
  } finally {
    immediate._onImmediate = null;
  }
}

function setImmediate(callback, ...args) {
  validateFunction(callback, 'callback');
  return new Immediate(callback, args.length === 0 ? undefined : args);
}

function clearImmediate(immediate) {
  if (!immediate || immediate._destroyed || !(immediate instanceof Immediate)) return;
  immediate._destroyed = true;
  immediate._onImmediate = null;
  binding.immediateStop(immediate[kKey]);
}

// require('timers/promises'): the promise versions of setTimeout and setImmediate.
const promises = {
  setTimeout(after, value) {
    return new Promise((resolve) => setTimeout(resolve, after, value));
  },
  setImmediate(value) {
    return new Promise((resolve) => setImmediate(resolve, value));
  },
};

module.exports = {
  setTimeout,
  clearTimeout,
  setInterval,
  clearInterval: clearTimeout,
  setImmediate,
  clearImmediate,
  runTimeout,
  runImmediate,
  promises,
};
