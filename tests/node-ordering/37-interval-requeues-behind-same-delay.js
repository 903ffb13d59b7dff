// After it runs, an interval goes to the back of the list of its delay: a
// timeout with the same delay created after it still runs before its second
// run.
let n = 0;
const iv = setInterval(() => {
  console.log('interval run ' + ++n);
  if (n === 2) clearInterval(iv);
}, 5);
setTimeout(() => console.log('timeout 5'), 5);
