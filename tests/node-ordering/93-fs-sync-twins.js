// The Sync twins run on the loop thread and return (or throw) at once, before any callback.
const fs = require('fs');
const os = require('os');
const path = require('path');
const file = path.join(os.tmpdir(), `eventloops-93-${process.pid}.txt`);
setImmediate(() => console.log('immediate (after all of the sync calls)'));
fs.writeFileSync(file, 'written synchronously');
console.log('read:', fs.readFileSync(file, 'utf8'));
console.log('bytes:', fs.readFileSync(file).length, 'isFile:', fs.statSync(file).isFile());
console.log('exists:', fs.existsSync(file));
fs.unlinkSync(file);
console.log('exists after unlink:', fs.existsSync(file));
try {
  fs.readFileSync(file);
} catch (err) {
  console.log('throws:', err.code, err.syscall);
}
console.log('dir isDirectory:', fs.statSync(os.tmpdir()).isDirectory());
