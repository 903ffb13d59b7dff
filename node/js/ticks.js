// process.nextTick and queueMicrotask (Node's lib/internal/process/task_queues.js).
//
// The nextTick queue lives here, in JavaScript, as it does in Node; the microtask queue is the
// engine's own job queue. What drains them is Rust: after every callback the loop runs, the
// checkpoint (src/checkpoint.rs) calls `runTicks` while `tickScheduled` is set, then runs the
// engine's jobs, and repeats. `setTickScheduled` keeps the Rust side's copy of "is the queue
// empty?" so that it does not have to enter the engine to ask.
'use strict';

const { validateFunction } = require('errors');
const { process } = require('process'); // not the global, which a program may replace

// A queue of ticks: an array with a read and a write index, emptied when it has run, so a long
// queue does not cost O(n) per shift. (Each line here runs once per tick: in an interpreter,
// `queue[tail++] = x` is cheaper than `queue.push(x)`, and the type check cheaper inline than
// in a call.)
let queue = [];
let head = 0;
let tail = 0;
let scheduled = false;

// ANCHOR: ticks
function nextTick(callback, ...args) {
  if (typeof callback !== 'function') validateFunction(callback, 'callback');
  if (process._exiting) return;
  if (!scheduled) {
    scheduled = true;
    binding.setTickScheduled(true);
  }
  queue[tail++] = args.length === 0 ? callback : { callback, args };
}

// Runs every queued tick, including ticks queued meanwhile. A tick that throws stops the
// drain: the rest stay queued for the next checkpoint, as in Node.
function runTicks() {
  while (head < tail) {
    const tock = queue[head];
    queue[head++] = undefined;
    if (typeof tock === 'function') tock();
    else tock.callback(...tock.args);
  }
  queue = [];
  head = tail = 0;
  scheduled = false;
  binding.setTickScheduled(false);
}
// ANCHOR_END: ticks

// queueMicrotask: a job in the engine's own queue, beside the promise jobs. An exception is
// reported at once, as Node's does (it would otherwise be lost inside the job).
function queueMicrotask(callback) {
  validateFunction(callback, 'callback');
  binding.enqueueMicrotask(() => {
    try {
      callback();
    } catch (error) {
      require('errors').triggerUncaughtException(error, false);
    }
  });
}

module.exports = { nextTick, runTicks, queueMicrotask };
