// From an fs callback (poll phase): the immediate runs in this turn's check phase, before a
// second fs call's callback, which needs a trip through the pool and comes in a later poll
// phase.
const fs = require('fs');
fs.stat(__filename, (err, stats) => {
  console.log('stat callback, isFile:', stats.isFile());
  fs.stat(__dirname, () => console.log('second stat callback'));
  setImmediate(() => console.log('immediate'));
  process.nextTick(() => console.log('tick'));
});
