// The console: util.format's text, one line per call, written at once to stdout (log, info,
// debug, dir) or stderr (error, warn, trace). Node writes to a pipe or file synchronously too.
'use strict';

const { format, inspect } = require('util');
const { notSupported } = require('errors');

let indent = '';
const counts = new Map();
const timers = new Map();

function line(text) {
  return indent === '' ? `${text}\n` : `${indent}${text.replace(/\n/g, `\n${indent}`)}\n`;
}

const console = {
  log(...args) { binding.writeStdout(line(format(...args))); },
  info(...args) { binding.writeStdout(line(format(...args))); },
  debug(...args) { binding.writeStdout(line(format(...args))); },
  error(...args) { binding.writeStderr(line(format(...args))); },
  warn(...args) { binding.writeStderr(line(format(...args))); },
  dir(value, options) { binding.writeStdout(line(inspect(value, options))); },
  trace(...args) {
    const err = new Error(format(...args));
    err.name = 'Trace';
    binding.writeStderr(line(inspect(err)));
  },
  assert(ok, ...args) {
    if (!ok) {
      args[0] = `Assertion failed${args.length === 0 ? '' : `: ${args[0]}`}`;
      binding.writeStderr(line(format(...args)));
    }
  },
  count(label = 'default') {
    const n = (counts.get(label) ?? 0) + 1;
    counts.set(label, n);
    binding.writeStdout(line(`${label}: ${n}`));
  },
  countReset(label = 'default') { counts.delete(label); },
  time(label = 'default') { timers.set(label, binding.hrtime()); },
  timeLog(label = 'default', ...args) { report(label, args); },
  timeEnd(label = 'default') {
    report(label, []);
    timers.delete(label);
  },
  group(...args) {
    if (args.length > 0) console.log(...args);
    indent += '  ';
  },
  groupEnd() { indent = indent.slice(2); },
  table() { throw notSupported('console.table()'); },
};
console.groupCollapsed = console.group;

function report(label, args) {
  const start = timers.get(label);
  if (start === undefined) return;
  const ms = Number(binding.hrtime() - start) / 1e6;
  const shown = ms < 1000 ? `${ms.toFixed(3)}ms` : `${(ms / 1000).toFixed(3)}s`;
  console.log(`${label}: ${shown}`, ...args);
}

module.exports = console;
