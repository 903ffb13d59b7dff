// The same program as 97-esm-promises-before-nexttick.mjs, as CommonJS: the main module runs
// outside any microtask, so after it the nextTick queue drains first, then the promises.
// (The busy wait makes the 0 ms timer due before the loop starts, so it runs first.)
setTimeout(() => console.log('timeout 0'), 0);
setImmediate(() => console.log('immediate'));
process.nextTick(() => console.log('nextTick'));
Promise.resolve().then(() => console.log('promise'));
queueMicrotask(() => console.log('queueMicrotask'));
console.log('module body');
const end = Date.now() + 5;
while (Date.now() < end);
