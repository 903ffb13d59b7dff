// A timer that throws: its 'uncaughtException' listener runs at once, the next due timer of
// the same phase runs before the ticks the failing one queued (a callback that threw gets no
// drain of its own), and the program carries on with exit code 0.
process.on('uncaughtException', (err) => console.log('caught', err.message));
setTimeout(() => {
  process.nextTick(() => console.log('tick from A'));
  throw new Error('A');
}, 1);
setTimeout(() => console.log('timer B'), 1);
setImmediate(() => console.log('immediate'));
const end = Date.now() + 5;
while (Date.now() < end);
