// Extra arguments go to the callback, for timers, immediates and ticks alike; `this` in a
// timer callback is its Timeout.
const t = setTimeout(function (a, b) {
  console.log('timeout', a, b, this === t);
}, 1, 'x', 2);
setImmediate((a, b, c) => console.log('immediate', a, b, c), 'y', undefined, null);
process.nextTick((...args) => console.log('tick', args.length, args.join('|')), 1, 2, 3);
setInterval(function (label) {
  console.log('interval', label);
  clearInterval(this);
}, 1, 'once');
// (The main module busy-waits 5 ms so the 1 ms timers are due when the loop starts.)
const end = Date.now() + 5;
while (Date.now() < end);
