// timeout.refresh() restarts a timer's countdown from now, with the same delay, and moves it to
// the back of the list of its delay. A, refreshed at once, runs after B. X, refreshed by a 1 ms
// timer, runs after Z, set after it with the same delay. Refreshing a cleared timeout does
// nothing, and an interval may refresh itself (`this` is its Timeout). Each step starts from the
// callback of the one before, so the order never depends on how fast the main script runs.
const cleared = setTimeout(() => console.log('cleared (must not run)'), 5);
clearTimeout(cleared);
cleared.refresh();
const a = setTimeout(() => {
  console.log('A (refreshed at once: behind B)');
  const x = setTimeout(() => {
    console.log('X (refreshed: after Z)');
    let n = 0;
    setInterval(function () {
      n++;
      console.log(`interval ${n}`);
      if (n === 3) clearInterval(this);
      else this.refresh();
    }, 5);
  }, 50);
  setTimeout(() => {
    console.log('1 ms: refresh X');
    x.refresh();
  }, 1);
  setTimeout(() => console.log('Z (set after X, same delay)'), 50);
}, 10);
setTimeout(() => console.log('B'), 10);
a.refresh();
process.on('exit', () => console.log('exit'));
