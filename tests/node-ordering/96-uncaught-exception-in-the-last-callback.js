// When the callback that threw is the last of its phase, its ticks run at the end of that
// phase as usual: before the next turn's immediate (a timer), or before the timers phase (an
// immediate).
process.on('uncaughtException', (err) => console.log(`caught: ${err.message}`));
setTimeout(() => {
  setImmediate(() => {
    setTimeout(() => console.log('timeout 0'), 0);
    process.nextTick(() => console.log('tick from the immediate'));
    const end = Date.now() + 3;
    while (Date.now() < end);
    throw new Error('thrown in the only immediate');
  });
  process.nextTick(() => console.log('tick from the timer'));
  throw new Error('thrown in the only timer');
}, 1);
