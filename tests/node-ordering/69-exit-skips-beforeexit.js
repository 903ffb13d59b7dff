// process.exit() does not emit 'beforeExit'; an 'exit' listener cannot schedule more work.
process.on('beforeExit', () => console.log('beforeExit (never)'));
process.on('exit', (code) => {
  console.log(`exit ${code}`);
  setTimeout(() => console.log('timer from exit (never)'), 0);
  process.nextTick(() => console.log('tick from exit (never)'));
  Promise.resolve().then(() => console.log('promise from exit (never)'));
});
setTimeout(() => {
  console.log('timer calls process.exit()');
  process.exit();
}, 1);
