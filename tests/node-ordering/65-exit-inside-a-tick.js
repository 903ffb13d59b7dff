// process.exit() stops right there: the rest of the tick, later ticks, microtasks and the loop
// never run; 'exit' listeners do, with the code.
process.on('exit', (code) => console.log(`exit listener, code ${code}`));
process.nextTick(() => {
  console.log('tick 1');
  process.exit(4);
  console.log('after exit (never)');
});
process.nextTick(() => console.log('tick 2 (never)'));
Promise.resolve().then(() => console.log('promise (never)'));
setTimeout(() => console.log('timeout (never)'), 0);
