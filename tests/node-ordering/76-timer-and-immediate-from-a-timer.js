// From a timer callback, setImmediate beats setTimeout(0) even when the new timer is already
// due: the check phase comes before the next timers phase.
setTimeout(() => {
  setTimeout(() => console.log('timeout 0 (next timers phase)'), 0);
  setImmediate(() => console.log('immediate (check phase of the next turn)'));
  const end = Date.now() + 5;
  while (Date.now() < end);
}, 1);
