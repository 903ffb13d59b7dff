// setTimeout(0) against setImmediate from the main module: which runs first depends on
// whether 1 ms has passed when the loop first looks at its timers. Run it many times.
setTimeout(() => console.log('timeout'), 0);
setImmediate(() => console.log('immediate'));
