// In an ES module the order flips: Node evaluates the main module inside a promise job (after
// reading it asynchronously), so the microtasks the module queues run in the same microtask
// drain, before the nextTick queue gets its turn. (In CommonJS, nextTick runs first: see
// 02-nexttick-before-promise.js.) Being loaded from a poll-phase callback, it also sees its
// immediate before a 0 ms timeout.
setTimeout(() => console.log('timeout 0'), 0);
setImmediate(() => console.log('immediate'));
process.nextTick(() => console.log('nextTick'));
Promise.resolve().then(() => console.log('promise'));
queueMicrotask(() => console.log('queueMicrotask'));
console.log('module body');
