// An unref'd immediate does not keep the loop alive: with nothing else to
// do, the loop exits without running it.
const im = setImmediate(() => console.log('unref immediate (must not run)'));
im.unref();
console.log('main done');
process.on('exit', () => console.log('exit'));
