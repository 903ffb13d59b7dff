// An immediate that throws: the rest of the check phase still runs, starting with the next
// immediate, before the ticks of the one that threw.
process.on('uncaughtException', (err) => console.log('caught', err.message));
setImmediate(() => {
  process.nextTick(() => console.log('tick from A'));
  Promise.resolve().then(() => console.log('promise from A'));
  throw new Error('A');
});
setImmediate(() => console.log('immediate B'));
setImmediate(() => console.log('immediate C'));
