// timeout.refresh() restarts a timer's countdown from now, with the same delay: refreshed at
// once, A moves behind B in the list of their delay; refreshed by a 20 ms timer, slow runs after
// a 40 ms timer although its own 30 ms were up first. Refreshing a cleared timeout does nothing,
// and an interval may refresh itself (`this` is its Timeout).
const a = setTimeout(() => console.log('A (refreshed at once: behind B)'), 10);
setTimeout(() => console.log('B'), 10);
a.refresh();
const slow = setTimeout(() => {
  console.log('slow (30 ms, refreshed at 20: due at 50)');
  let n = 0;
  setInterval(function () {
    n++;
    console.log(`interval ${n}`);
    if (n === 3) clearInterval(this);
    else this.refresh();
  }, 5);
}, 30);
setTimeout(() => {
  console.log('20 ms: refresh slow');
  slow.refresh();
}, 20);
setTimeout(() => console.log('40 ms: before slow'), 40);
const cleared = setTimeout(() => console.log('cleared (must not run)'), 5);
clearTimeout(cleared);
cleared.refresh();
process.on('exit', () => console.log('exit'));
