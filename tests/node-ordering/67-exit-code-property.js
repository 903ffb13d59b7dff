// process.exitCode sets the code the process ends with when the loop runs dry; 'beforeExit'
// and 'exit' listeners see it.
process.exitCode = 3;
process.on('beforeExit', (code) => console.log(`beforeExit ${code}`));
process.on('exit', (code) => console.log(`exit ${code}`));
setTimeout(() => {
  console.log('timer changes it');
  process.exitCode = 7;
}, 1);
