// setTimeout(0) against setImmediate from the main module is a race (see appendix D), unless
// the main module takes more than 1 ms: then the timer is due when the loop starts, and the
// loop runs due timers once before its first turn, so the timeout always comes first.
setImmediate(() => console.log('immediate'));
setTimeout(() => console.log('timeout 0'), 0);
const end = Date.now() + 5;
while (Date.now() < end);
