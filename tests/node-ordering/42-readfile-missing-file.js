// A missing file is an error given to the callback, later: never a throw, never synchronous.
const fs = require('fs');
fs.readFile('does-not-exist.txt', (err, data) => {
  console.log(err.code, err.syscall, data === undefined);
  console.log(err.message);
});
console.log('main ends before the callback');
