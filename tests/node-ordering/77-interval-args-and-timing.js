// An interval runs every `delay` counted from the start of its last run, and goes back in the
// list of its delay after its callback returns: behind a timeout of the same delay that the
// callback started. It stops when cleared, from inside or outside. (Each timer here is
// started relative to another, so a slow machine cannot change the order.)
console.log('start');
let n = 0;
const other = setInterval(() => console.log('other (never: run 1 clears it)'), 400);
const iv = setInterval((tag) => {
  n++;
  console.log(`interval ${tag} run ${n}`);
  if (n === 1) {
    clearInterval(other);
    setTimeout(() => console.log('timeout 100 started by run 1 (before run 2)'), 100);
  }
  if (n === 2) setTimeout(() => console.log('timeout 50 started by run 2 (before run 3)'), 50);
  if (n === 3) clearInterval(iv);
}, 100, 'A');
setTimeout(() => console.log('timeout 100 started after the interval (behind run 1)'), 100);
