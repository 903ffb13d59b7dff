// Promise.all resolves one microtask after its last input settles; its callbacks wait behind
// chains that were already queued.
const a = Promise.resolve('a');
const b = new Promise((resolve) => setImmediate(() => resolve('b')));
Promise.all([a, b]).then((values) => console.log('all:', values.join(',')));
Promise.all([a, 'c']).then((values) => console.log('all without waiting:', values.join(',')));
Promise.resolve().then(() => console.log('then 1')).then(() => console.log('then 2'));
setImmediate(() => {
  console.log('immediate');
  process.nextTick(() => console.log('tick after the immediate'));
});
