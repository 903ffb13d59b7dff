// 'beforeExit' runs when the loop has nothing left; work it schedules keeps the program going,
// and it runs again when that work is done. Ticks and promises it queues run too, but alone
// they do not start the loop again.
let rounds = 0;
process.on('beforeExit', (code) => {
  rounds++;
  console.log(`beforeExit ${rounds}`);
  if (rounds === 1) setTimeout(() => console.log('timer from beforeExit 1'), 1);
  if (rounds === 2) setImmediate(() => console.log('immediate from beforeExit 2'));
  if (rounds === 3) {
    process.nextTick(() => console.log('tick from beforeExit 3'));
    Promise.resolve().then(() => console.log('promise from beforeExit 3'));
  }
});
process.on('exit', () => console.log(`exit after ${rounds} rounds`));
console.log('main done');
