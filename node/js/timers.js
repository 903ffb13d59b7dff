// setTimeout, setInterval, setImmediate and their Timeout and Immediate objects, as Node's
// lib/timers.js and lib/internal/timers.js shape them. The lists themselves are chapter 8's, in
// Rust: a Timeout here holds the key of its entry there (`_key`), and the loop calls its
// callback, with `this` the Timeout, when it is due. A key goes stale once the timer has fired
// or been cleared, so nothing here needs to run when a timer fires.
'use strict';

const { validateFunction } = require('errors');

// The host functions, looked up once: a property lookup on `binding` at every call costs an
// interpreter more than the call's own bookkeeping.
const {
  timerStart, timerStartFull, timerStop, timerRef,
  immediateStart, immediateStartWithArgs, immediateStop, immediateRef, immediateHasRef,
} = binding;

const TIMEOUT_MAX = 2 ** 31 - 1;
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

// A Timeout keeps only what differs from the defaults on its prototype as own properties:
// creating objects is what a JavaScript interpreter pays most for, and a program may start a
// million timers.
class Timeout {
  constructor(callback, after, args, isRepeat) {
    after *= 1; // a numeric string or an object with valueOf counts, as in Node
    if (!(after >= 1 && after <= TIMEOUT_MAX)) after = coerceDelay(after);
    this._idleTimeout = after;
    this._onTimeout = callback;
    if (args !== undefined) this._timerArgs = args;
    if (isRepeat) this._repeat = after;
    this._key = args === undefined && !isRepeat
      ? timerStart(this, callback, after)
      : timerStartFull(this, callback, after, args, isRepeat);
  }

  // Starts the timer again from now, with the same delay; a timer that already ran runs again.
  // A cleared timer stays cleared.
  refresh() {
    if (this._idleTimeout < 0) return this;
    timerStop(this._key);
    this._destroyed = false;
    this._key = timerStartFull(this, this._onTimeout, this._idleTimeout, this._timerArgs, this._repeat !== null);
    if (!this._refed) timerRef(this._key, false);
    return this;
  }

  ref() {
    if (!this._refed) {
      this._refed = true;
      timerRef(this._key, true);
    }
    return this;
  }

  unref() {
    if (this._refed) {
      this._refed = false;
      timerRef(this._key, false);
    }
    return this;
  }

  hasRef() {
    return this._refed;
  }

  close() {
    clearTimeout(this);
    return this;
  }

  [Symbol.toPrimitive]() {
    if (this[kId] === undefined) this[kId] = ++lastId;
    knownById.set(this[kId], this);
    return this[kId];
  }
}
Timeout.prototype._timerArgs = undefined;
Timeout.prototype._repeat = null;
Timeout.prototype._destroyed = false;
Timeout.prototype._refed = true;
Timeout.prototype._key = kNone;
for (const name of ['_timerArgs', '_repeat', '_destroyed', '_refed', '_key']) {
  Object.defineProperty(Timeout.prototype, name, { writable: true, enumerable: false });
}

function unenroll(timer) {
  timerStop(timer._key);
  timer._key = kNone;
  timer._destroyed = true;
  timer._idleTimeout = -1;
  if (timer[kId] !== undefined) knownById.delete(timer[kId]);
}

// The extra arguments come in a rest parameter, not from `arguments`: QuickJS builds the
// `arguments` object on every call of a function that mentions it, which costs more than the
// empty array of a rest parameter. `undefined` stands for "none", the common case.
function setTimeout(callback, after, ...args) {
  if (typeof callback !== 'function') validateFunction(callback, 'callback');
  return new Timeout(callback, after, args.length === 0 ? undefined : args, false);
}

function setInterval(callback, repeat, ...args) {
  if (typeof callback !== 'function') validateFunction(callback, 'callback');
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
    if (args !== undefined) this._argv = args;
    this._key = args === undefined
      ? immediateStart(this, callback)
      : immediateStartWithArgs(this, callback, args);
  }

  ref() {
    if (!this._refed) {
      this._refed = true;
      immediateRef(this._key, true);
    }
    return this;
  }

  unref() {
    if (this._refed) {
      this._refed = false;
      immediateRef(this._key, false);
    }
    return this;
  }

  hasRef() {
    return immediateHasRef(this._key) && this._refed;
  }
}
Immediate.prototype._argv = undefined;
Immediate.prototype._destroyed = false;
Immediate.prototype._refed = true;
for (const name of ['_argv', '_destroyed', '_refed']) {
  Object.defineProperty(Immediate.prototype, name, { writable: true, enumerable: false });
}

// QuickJS shares an object's layout (its "shape") between the objects that got the same
// properties in the same order, but frees a shape with the last object that has it. A
// constructor starts from the bare shape of its prototype and passes through one shape per
// property it adds; the objects it returns keep only the last one, so every
// `new Timeout` would build them again and free them. One object kept at each step keeps them.
// (The objects hang off the constructor: a module's own variables die with its function.)
function keepShapes(constructor, ...names) {
  const kept = [];
  for (let n = 0; n <= names.length; n++) {
    const object = Object.create(constructor.prototype);
    for (let i = 0; i < n; i++) object[names[i]] = undefined;
    kept.push(object);
  }
  Object.defineProperty(constructor, kKeptShapes, { value: kept });
}
const kKeptShapes = Symbol('keptShapes');
keepShapes(Timeout, '_idleTimeout', '_onTimeout', '_key');
keepShapes(Immediate, '_onImmediate', '_key');

function setImmediate(callback, ...args) {
  if (typeof callback !== 'function') validateFunction(callback, 'callback');
  return new Immediate(callback, args.length === 0 ? undefined : args);
}

function clearImmediate(immediate) {
  if (!immediate || immediate._destroyed || !(immediate instanceof Immediate)) return;
  immediate._destroyed = true;
  immediate._onImmediate = null;
  immediateStop(immediate._key);
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
  promises,
};
