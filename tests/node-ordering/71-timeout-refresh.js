// refresh() restarts a timer's delay from now, moving it behind a timer of the same delay
// started later; refreshing a timer that already ran runs it again. (Each timer here is
// started relative to another, so a slow machine cannot change the order.)
console.log('start');
let runs = 0;
const once = setTimeout(() => {
  runs++;
  console.log(`once ran (${runs})`);
  if (runs === 1) setTimeout(() => once.refresh(), 10);
  if (runs === 2) {
    const a = setTimeout(() => console.log('A (refreshed: behind B)'), 100);
    setTimeout(() => console.log('B (started after A, same delay)'), 100);
    setTimeout(() => {
      console.log('refreshing A');
      a.refresh();
    }, 50);
  }
}, 10);
process.on('exit', () => console.log('exit'));
