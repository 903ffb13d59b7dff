// A rejection counts as unhandled only if no handler is attached by the time the microtask
// queue is empty: a .catch() added by a later microtask of the same drain is in time.
const p = Promise.reject(new Error('late but in time'));
Promise.resolve()
  .then(() => console.log('microtask 1'))
  .then(() => {
    console.log('microtask 2 attaches the handler');
    p.catch((e) => console.log('caught:', e.message));
  });
process.on('exit', (code) => console.log(`exit ${code}`));
