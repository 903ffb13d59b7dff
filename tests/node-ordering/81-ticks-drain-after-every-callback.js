// A "tick" is not a turn of the loop: the nextTick queue (and then the microtasks) drains
// after every single callback, between two timers of the same timers phase and between two
// immediates of the same check phase.
for (const name of ['timer 1', 'timer 2']) {
  setTimeout(() => {
    console.log(name);
    process.nextTick(() => console.log(`  tick after ${name}`));
    Promise.resolve().then(() => console.log(`  promise after ${name}`));
  }, 1);
}
setTimeout(() => {
  for (const name of ['immediate 1', 'immediate 2']) {
    setImmediate(() => {
      console.log(name);
      process.nextTick(() => console.log(`  tick after ${name}`));
    });
  }
}, 2);
const end = Date.now() + 5;
while (Date.now() < end);
