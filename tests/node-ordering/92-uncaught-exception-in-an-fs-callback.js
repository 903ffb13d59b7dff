// An exception thrown by an fs callback (poll phase) goes to 'uncaughtException'; the ticks
// that callback queued wait for the next callback's drain, here the check phase's immediate.
const fs = require('fs');
process.on('uncaughtException', (err) => console.log(`caught: ${err.message}`));
fs.readFile(__filename, () => {
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('tick from the fs callback'));
  throw new Error('thrown in readFile callback');
});
process.on('exit', (code) => console.log(`exit ${code}`));
