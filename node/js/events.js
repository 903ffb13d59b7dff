// require('events'): EventEmitter, the basics. Node's own (lib/events.js) does much more
// (captureRejections, error monitors, async iterators); this is what programs about the event
// loop use: on/once/off, emit, and the listener lists.
'use strict';

const kListeners = Symbol('listeners');

function listenersOf(emitter) {
  if (!Object.prototype.hasOwnProperty.call(emitter, kListeners)) {
    Object.defineProperty(emitter, kListeners, { value: new Map(), writable: true });
  }
  return emitter[kListeners];
}

function checkListener(listener) {
  if (typeof listener !== 'function') {
    const err = new TypeError(
      `The "listener" argument must be of type function. Received ${describe(listener)}`);
    err.code = 'ERR_INVALID_ARG_TYPE';
    throw err;
  }
}

function describe(value) {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return `function ${value.name}`;
  if (typeof value === 'object') return 'an instance of ' + (value.constructor?.name ?? 'Object');
  return `type ${typeof value} (${String(value)})`;
}

class EventEmitter {
  constructor() {
    listenersOf(this);
  }

  // Adds `listener` for `name`; `prepend` puts it first.
  _add(name, listener, prepend) {
    checkListener(listener);
    const all = listenersOf(this);
    if (all.has('newListener')) {
      this.emit('newListener', name, listener.listener ?? listener);
    }
    const list = all.get(name);
    if (list === undefined) all.set(name, [listener]);
    else if (prepend) list.unshift(listener);
    else list.push(listener);
    return this;
  }

  on(name, listener) { return this._add(name, listener, false); }
  addListener(name, listener) { return this._add(name, listener, false); }
  prependListener(name, listener) { return this._add(name, listener, true); }

  once(name, listener) {
    checkListener(listener);
    return this._add(name, onceWrapper(this, name, listener), false);
  }

  prependOnceListener(name, listener) {
    checkListener(listener);
    return this._add(name, onceWrapper(this, name, listener), true);
  }

  off(name, listener) { return this.removeListener(name, listener); }

  removeListener(name, listener) {
    checkListener(listener);
    const all = listenersOf(this);
    const list = all.get(name);
    if (list === undefined) return this;
    // The most recently added match goes first, as in Node.
    for (let i = list.length - 1; i >= 0; i--) {
      if (list[i] === listener || list[i].listener === listener) {
        list.splice(i, 1);
        if (list.length === 0) all.delete(name);
        if (all.has('removeListener')) this.emit('removeListener', name, listener);
        break;
      }
    }
    return this;
  }

  removeAllListeners(name) {
    const all = listenersOf(this);
    if (name === undefined) all.clear();
    else all.delete(name);
    return this;
  }

  // Calls every listener of `name`, in order, with `args`. The list is copied first, so a
  // listener that adds or removes listeners changes the next emit, not this one.
  emit(name, ...args) {
    const list = listenersOf(this).get(name);
    if (list === undefined) {
      if (name === 'error') {
        const err = args[0];
        if (err instanceof Error) throw err;
        const wrapped = new Error(`Unhandled error. (${String(err)})`);
        wrapped.code = 'ERR_UNHANDLED_ERROR';
        wrapped.context = err;
        throw wrapped;
      }
      return false;
    }
    const copy = list.slice();
    for (let i = 0; i < copy.length; i++) {
      copy[i].apply(this, args);
    }
    return true;
  }

  listenerCount(name) {
    const list = listenersOf(this).get(name);
    return list === undefined ? 0 : list.length;
  }

  listeners(name) {
    const list = listenersOf(this).get(name);
    return list === undefined ? [] : list.map((l) => l.listener ?? l);
  }

  rawListeners(name) {
    const list = listenersOf(this).get(name);
    return list === undefined ? [] : list.slice();
  }

  eventNames() {
    return [...listenersOf(this).keys()];
  }

  setMaxListeners() { return this; }
  getMaxListeners() { return 10; }
}

function onceWrapper(emitter, name, listener) {
  let fired = false;
  function wrapper(...args) {
    if (fired) return undefined;
    fired = true;
    emitter.removeListener(name, wrapper);
    return listener.apply(this, args);
  }
  wrapper.listener = listener;
  return wrapper;
}

EventEmitter.EventEmitter = EventEmitter;
EventEmitter.defaultMaxListeners = 10;

// `events.once(emitter, name)`: a promise of the next `name` event's arguments.
EventEmitter.once = function once(emitter, name) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      emitter.removeListener(name, onEvent);
      reject(err);
    };
    const onEvent = (...args) => {
      if (name !== 'error') emitter.removeListener('error', onError);
      resolve(args);
    };
    emitter.once(name, onEvent);
    if (name !== 'error') emitter.once('error', onError);
  });
};

module.exports = EventEmitter;
