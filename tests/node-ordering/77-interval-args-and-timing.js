// An interval runs every `delay` counted from the start of its last run, and goes back in the
// list of its delay after its callback returns: behind a timeout of the same delay that the
// callback started. It stops when cleared, from inside or outside.
console.log('start');
let n = 0;
const iv = setInterval((tag) => {
  n++;
  console.log(`interval ${tag} run ${n}`);
  if (n === 1) setTimeout(() => console.log('timeout 30 started by run 1 (before run 2)'), 30);
  if (n === 3) clearInterval(iv);
}, 30, 'A');
setTimeout(() => console.log('timeout 30 (behind run 1)'), 30);
setTimeout(() => console.log('timeout 75 (between runs 2 and 3)'), 75);
const other = setInterval(() => console.log('other (never)'), 200);
setTimeout(() => clearInterval(other), 100);
