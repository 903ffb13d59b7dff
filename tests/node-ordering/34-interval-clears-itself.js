// An interval that clears itself from its own callback stops repeating, and
// the loop exits.
let n = 0;
const interval = setInterval(() => {
  n++;
  console.log('interval ' + n);
  if (n === 3) {
    clearInterval(interval);
    console.log('cleared');
  }
}, 1);
process.on('exit', () => console.log('exit'));
