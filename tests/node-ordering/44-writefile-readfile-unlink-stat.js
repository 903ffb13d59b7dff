// A chain of fs calls, each started from the previous one's callback.
const fs = require('fs');
const os = require('os');
const path = require('path');
const file = path.join(os.tmpdir(), `eventloops-44-${process.pid}.txt`);
fs.writeFile(file, 'hello from the pool', (err) => {
  console.log('written', err);
  fs.readFile(file, 'utf8', (err, text) => {
    console.log('read', text);
    fs.unlink(file, (err) => {
      console.log('unlinked', err);
      fs.stat(file, (err) => console.log('stat after unlink:', err.code));
    });
  });
});
