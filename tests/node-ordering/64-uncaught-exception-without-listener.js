// No listener: the error ends the program with exit code 1. Only 'exit' listeners run; one
// may still change the exit code.
process.on('exit', (code) => {
  console.log(`exit listener, code ${code}, exitCode ${process.exitCode}`);
  process.exitCode = 5;
});
process.on('beforeExit', () => console.log('beforeExit (never: the loop did not run dry)'));
setTimeout(() => {
  setImmediate(() => console.log('immediate (never runs)'));
  throw new Error('boom');
}, 1);
setTimeout(() => console.log('second timer (never runs)'), 1);
