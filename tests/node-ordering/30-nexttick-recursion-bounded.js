// A nextTick that queues another nextTick keeps the loop from moving on: the
// immediate and even the promise wait until the tick chain ends. (Bounded to
// 1000 ticks here; unbounded, it would starve the loop forever.)
setImmediate(() => console.log('immediate (waited for every tick)'));
Promise.resolve().then(() => console.log('promise (after the last tick)'));
let n = 0;
function tick() {
  if (++n < 1000) process.nextTick(tick);
  else console.log('ticks done: ' + n);
}
process.nextTick(tick);
