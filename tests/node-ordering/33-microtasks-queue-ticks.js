// A tick queued by a microtask waits until the microtask queue is empty,
// including microtasks queued by microtasks; then the tick queue runs again.
Promise.resolve().then(() => {
  console.log('promise 1');
  process.nextTick(() => console.log('tick from promise 1'));
  Promise.resolve().then(() => console.log('promise 1.1 (queued by promise 1)'));
});
Promise.resolve().then(() => console.log('promise 2'));
process.nextTick(() => console.log('tick 1'));
