// An fs callback runs in the poll phase, so inside it setImmediate (check phase, this turn)
// runs before setTimeout(0) (timers phase, next turn). The queues drain first, as always.
const fs = require('fs');
fs.readFile(__filename, () => {
  console.log('readFile callback');
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('nextTick'));
  Promise.resolve().then(() => console.log('promise'));
});
console.log('main');
