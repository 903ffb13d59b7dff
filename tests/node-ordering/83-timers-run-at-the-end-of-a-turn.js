// The timers phase comes after check and close in each turn (libuv >= 1.45 runs timers at the
// end of the turn, plus once before the first): a timer that is due after an immediate's
// callback runs before the next turn's immediates.
setImmediate(() => {
  console.log('immediate 1');
  setTimeout(() => console.log('timeout 0 from immediate 1 (same turn, timers phase)'), 0);
  setImmediate(() => console.log('immediate 2 (next turn, check phase)'));
  const end = Date.now() + 5;
  while (Date.now() < end);
});
