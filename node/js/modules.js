// CommonJS: require, module.exports, exports, __filename, __dirname (Node's
// lib/internal/modules/cjs/loader.js, minus ES modules, policies and hooks). A file is wrapped
// in a function of those five names and called once; its module.exports is cached by path.
'use strict';

const path = require('path');
const { notSupported } = require('errors');

// The built-in modules this runtime has, by the name programs require.
const builtins = {
  events: () => require('events'),
  timers: () => {
    const t = require('timers');
    return {
      setTimeout: t.setTimeout, clearTimeout: t.clearTimeout,
      setInterval: t.setInterval, clearInterval: t.clearInterval,
      setImmediate: t.setImmediate, clearImmediate: t.clearImmediate,
      promises: t.promises,
    };
  },
  'timers/promises': () => require('timers').promises,
  fs: () => require('fs'),
  'fs/promises': () => require('fs').promises,
  dns: () => require('dns'),
  net: () => require('net'),
  os: () => require('os'),
  util: () => require('util'),
  path: () => require('path'),
  buffer: () => ({ Buffer: require('buffer').Buffer }),
  string_decoder: () => ({ StringDecoder: require('buffer').StringDecoder }),
  process: () => process,
  console: () => console,
};
// Node's other built-ins: asking for one is a clear error, not "cannot find module".
const knownElsewhere = new Set([
  'assert', 'async_hooks', 'child_process', 'cluster', 'crypto', 'dgram', 'diagnostics_channel',
  'dns/promises', 'domain', 'http', 'http2', 'https', 'inspector', 'module', 'perf_hooks',
  'punycode', 'querystring', 'readline', 'repl', 'stream', 'test', 'tls', 'trace_events', 'tty',
  'url', 'v8', 'vm', 'wasi', 'worker_threads', 'zlib',
]);

const builtinCache = new Map();

function loadBuiltin(name) {
  let exports = builtinCache.get(name);
  if (exports === undefined) {
    exports = builtins[name]();
    builtinCache.set(name, exports);
  }
  return exports;
}

class Module {
  constructor(filename, parent) {
    this.id = filename;
    this.filename = filename;
    this.path = path.dirname(filename);
    this.exports = {};
    this.parent = parent;
    this.loaded = false;
    this.children = [];
  }
}

const cache = Object.create(null);
let mainModule;

function notFound(request, parent) {
  const err = new Error(`Cannot find module '${request}'${parent ? `\nRequire stack:\n- ${parent.filename}` : ''}`);
  err.code = 'MODULE_NOT_FOUND';
  return err;
}

// A file, or a file with .js/.json/.cjs added, or a directory's package.json main or index.
function resolveFile(candidate) {
  const kind = binding.fileKind(candidate);
  if (kind === 1) return candidate;
  for (const ext of ['.js', '.json', '.cjs']) {
    if (binding.fileKind(candidate + ext) === 1) return candidate + ext;
  }
  if (kind === 2) {
    const pkg = path.join(candidate, 'package.json');
    if (binding.fileKind(pkg) === 1) {
      const main = JSON.parse(binding.readFileUtf8(pkg)).main;
      if (typeof main === 'string') {
        const found = resolveFile(path.resolve(candidate, main));
        if (found !== undefined) return found;
      }
    }
    for (const index of ['index.js', 'index.json']) {
      const file = path.join(candidate, index);
      if (binding.fileKind(file) === 1) return file;
    }
  }
  return undefined;
}

function resolveFilename(request, parent) {
  if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/') ||
      request === '.' || request === '..') {
    const base = parent ? parent.path : process.cwd();
    const found = resolveFile(path.resolve(base, request));
    if (found === undefined) throw notFound(request, parent);
    return found;
  }
  // A package: node_modules/<request> in this directory and every one above it.
  let dir = parent ? parent.path : process.cwd();
  for (;;) {
    if (path.basename(dir) !== 'node_modules') {
      const found = resolveFile(path.join(dir, 'node_modules', request));
      if (found !== undefined) return found;
    }
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw notFound(request, parent);
}

function requireFrom(parent, request) {
  if (typeof request !== 'string' || request === '') {
    throw require('errors').invalidArgType('id', 'string', request);
  }
  const name = request.startsWith('node:') ? request.slice(5) : request;
  if (Object.prototype.hasOwnProperty.call(builtins, name)) return loadBuiltin(name);
  if (knownElsewhere.has(name)) throw notSupported(`require('${request}')`);
  const filename = resolveFilename(request, parent);
  const cached = cache[filename];
  if (cached !== undefined) return cached.exports;
  const module = new Module(filename, parent);
  if (parent) parent.children.push(module);
  cache[filename] = module;
  let ok = false;
  try {
    load(module);
    ok = true;
  } finally {
    if (!ok) delete cache[filename];
  }
  return module.exports;
}

function makeRequire(module) {
  const require = (request) => requireFrom(module, request);
  require.resolve = (request) => {
    const name = request.startsWith('node:') ? request.slice(5) : request;
    if (Object.prototype.hasOwnProperty.call(builtins, name)) return request;
    return resolveFilename(request, module);
  };
  require.cache = cache;
  require.main = mainModule;
  return require;
}

function load(module) {
  const { filename } = module;
  if (filename.endsWith('.mjs')) throw notSupported(`require() of an ES module (${filename})`);
  const source = binding.readFileUtf8(filename);
  if (filename.endsWith('.json')) {
    module.exports = JSON.parse(source);
  } else {
    const wrapper = binding.compileFunction(source, filename);
    wrapper.call(module.exports, module.exports, makeRequire(module), module, filename, module.path);
  }
  module.loaded = true;
}

// What an ES module's `import` of a built-in or a CommonJS file gets (src/bindings/esm.rs).
Object.defineProperty(globalThis, Symbol.for('ch11.require'), {
  value: (specifier) => requireFrom(undefined, specifier),
});

// Runs the program: `node file.js` resolves file.js against the current directory.
function runMain(file) {
  const filename = resolveFile(path.resolve(file));
  if (filename === undefined) throw notFound(path.resolve(file));
  if (filename.endsWith('.mjs')) {
    // Node's ES module loader reads the file asynchronously and evaluates the module inside a
    // promise job: the module's microtasks run before its nextTicks.
    process.argv[1] = filename;
    require('fs').promises.readFile(filename, 'utf8')
      .then((source) => binding.evaluateModule(filename, source));
    return;
  }
  mainModule = new Module(filename, null);
  mainModule.id = '.';
  cache[filename] = mainModule;
  process.mainModule = mainModule;
  process.argv[1] = filename;
  load(mainModule);
}

module.exports = { runMain, Module };
