// queueMicrotask and promise reactions go to the same queue, in the order they were queued;
// nextTicks queued by either run before the next one of them.
queueMicrotask(() => {
  console.log('microtask 1');
  process.nextTick(() => console.log('tick from microtask 1'));
  queueMicrotask(() => console.log('microtask 1.1'));
});
Promise.resolve().then(() => console.log('promise 2'));
queueMicrotask(() => console.log('microtask 3'));
Promise.reject(new Error('x')).catch(() => console.log('catch 4'));
