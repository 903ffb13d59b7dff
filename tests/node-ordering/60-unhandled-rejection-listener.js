// With an 'unhandledRejection' listener the process carries on: the listener gets the reason
// and the promise, after the microtasks, and the exit code stays 0.
process.on('unhandledRejection', (reason, promise) => {
  console.log('unhandledRejection:', reason.message, promise instanceof Promise);
  process.nextTick(() => console.log('tick from the listener'));
});
Promise.reject(new Error('first'));
Promise.resolve().then(() => console.log('microtask'));
setTimeout(() => {
  console.log('timer');
  Promise.reject(new Error('second'));
}, 1);
process.on('exit', (code) => console.log(`exit ${code}`));
