// An await on an already-resolved value resumes one microtask later, like one step of a
// .then chain, so the two interleave. A nextTick queued from the main script runs before any
// of them; one queued from inside the async function waits until the microtask queue is empty.
async function worker(name) {
  console.log(`${name} start`);
  await null;
  console.log(`${name} after first await`);
  process.nextTick(() => console.log(`tick from ${name}`));
  await Promise.resolve();
  console.log(`${name} after second await`);
}
Promise.resolve()
  .then(() => console.log('then 1'))
  .then(() => console.log('then 2'))
  .then(() => console.log('then 3'));
worker('A');
process.nextTick(() => console.log('tick from main'));
console.log('main done');
