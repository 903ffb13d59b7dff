// Node 20 treats a promise rejected with no handler as an uncaught exception: after the
// microtasks of the main script, 'exit' listeners run with code 1 and nothing else does.
process.on('exit', (code) => console.log(`exit listener, code ${code}`));
setTimeout(() => console.log('timeout (never runs)'), 0);
setImmediate(() => console.log('immediate (never runs)'));
Promise.resolve().then(() => console.log('microtask before the check runs'));
Promise.reject(new Error('nobody catches this'));
console.log('main done');
