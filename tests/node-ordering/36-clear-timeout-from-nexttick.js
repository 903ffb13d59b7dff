// A nextTick runs before the loop starts, so clearing a timer from it means
// the timer never runs.
const t = setTimeout(() => console.log('timeout 1 (must not run)'), 1);
process.nextTick(() => {
  clearTimeout(t);
  console.log('tick cleared the timeout');
});
setTimeout(() => console.log('timeout 2'), 2);
