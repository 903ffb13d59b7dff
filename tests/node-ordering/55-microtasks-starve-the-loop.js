// Microtasks can starve the loop: a promise chain that keeps queueing the next link runs to
// the end before any timer, immediate or I/O gets a turn. (Bounded here to 10000 links.)
setTimeout(() => console.log('timeout (after every link)'), 0);
setImmediate(() => console.log('immediate (after every link)'));
let links = 0;
function link() {
  if (++links < 10000) return Promise.resolve().then(link);
  console.log(`chain done after ${links} links`);
}
link();
console.log('main done');
