// The first JavaScript that runs: loads the library (one file per part of Node, each wrapped in
// a function of `exports, module, require, binding`), installs the globals, and hands the Rust
// side the functions the loop will call (src/hooks.rs). Node's lib/internal/bootstrap/node.js
// plays the same part.
(function bootstrap(binding) {
  'use strict';

  const cache = new Map();
  function internalRequire(name) {
    let module = cache.get(name);
    if (module === undefined) {
      module = { exports: {} };
      cache.set(name, module);
      binding.compileLibrary(name)(module.exports, module, internalRequire, binding);
    }
    return module.exports;
  }

  globalThis.global = globalThis;
  const { process, emitBeforeExit, emitExit } = internalRequire('process');
  globalThis.process = process;
  process.nextTick = internalRequire('ticks').nextTick;
  const { Buffer } = internalRequire('buffer');
  globalThis.Buffer = Buffer;
  const timers = internalRequire('timers');
  for (const name of ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'clearImmediate']) {
    globalThis[name] = timers[name];
  }
  globalThis.queueMicrotask = internalRequire('ticks').queueMicrotask;
  globalThis.console = internalRequire('console');
  internalRequire('util')._setPromiseState(binding.promiseState);

  const errors = internalRequire('errors');
  const ticks = internalRequire('ticks');
  const promises = internalRequire('promises');
  const modules = internalRequire('modules');

  return {
    runMain: modules.runMain,
    runTicks: ticks.runTicks,
    processRejections: promises.processRejections,
    onRejection: promises.onRejection,
    fatalException: (err) => errors.triggerUncaughtException(err, false),
    emitBeforeExit,
    emitExit,
    require: internalRequire,
  };
})
