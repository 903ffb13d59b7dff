// refresh() restarts a timer's delay from now, moving it behind a timer of the same delay
// started later; refreshing a timer that already ran runs it again.
console.log('start');
const a = setTimeout(() => console.log('A (refreshed at 50 ms: runs at about 150)'), 100);
setTimeout(() => console.log('B (100 ms)'), 100);
setTimeout(() => {
  console.log('refreshing A');
  a.refresh();
}, 50);
let runs = 0;
const once = setTimeout(() => {
  runs++;
  console.log(`once ran (${runs})`);
  if (runs === 1) setTimeout(() => once.refresh(), 10);
}, 10);
process.on('exit', () => console.log('exit'));
