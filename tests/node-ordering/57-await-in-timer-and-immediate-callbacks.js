// The continuation of an await inside a timer callback runs before the next timer of the same
// phase: microtasks are drained between timers, async functions included.
setTimeout(async () => {
  console.log('timer A start');
  await null;
  console.log('timer A after await');
  await new Promise((resolve) => setImmediate(resolve));
  console.log('timer A after awaiting an immediate');
}, 1);
setTimeout(() => console.log('timer B'), 1);
setImmediate(async () => {
  console.log('immediate start');
  await null;
  console.log('immediate after await');
});
const end = Date.now() + 5;
while (Date.now() < end);
