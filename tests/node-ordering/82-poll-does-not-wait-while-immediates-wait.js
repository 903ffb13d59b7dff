// While immediates are queued, the poll phase does not block, even with a long timer pending:
// Node's idle handle is active, and an active idle handle makes libuv's poll timeout 0.
const long = setTimeout(() => console.log('long timer (never: cleared)'), 2000);
const start = Date.now();
let n = 0;
function step() {
  if (++n < 5) {
    setImmediate(step);
    return;
  }
  const waited = Date.now() - start;
  console.log(`5 immediates ran ${waited < 1000 ? 'without' : 'AFTER'} waiting for the 2000 ms timer`);
  clearTimeout(long);
}
setImmediate(step);
