// fs.readFile is four trips through the thread pool (open, fstat, read, close), each finished
// in a poll phase: an immediate queued by the main script runs long before the callback.
const fs = require('fs');
fs.readFile(__filename, () => console.log('readFile'));
setImmediate(() => console.log('immediate'));
process.nextTick(() => console.log('nextTick'));
console.log('main');
