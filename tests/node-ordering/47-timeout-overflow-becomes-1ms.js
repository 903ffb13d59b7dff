// A delay above 2^31 - 1 ms does not fit the 32-bit integer Node keeps it in: the timer runs
// after 1 ms instead (Node also prints a TimeoutOverflowWarning on stderr). 2^31 - 1 itself is
// honoured: unreferenced, that timer never runs and does not keep the program alive. (The 5 ms
// timer is set after the overflowing one: building the first warning can take Node several
// milliseconds, and a 5 ms timer set before it could then come due first.)
setTimeout(() => console.log('2 ** 31 ms: overflows to 1 ms'), 2 ** 31);
setTimeout(() => console.log('5 ms'), 5);
setTimeout(() => console.log('2 ** 31 - 1 ms (must not run)'), 2 ** 31 - 1).unref();
process.on('exit', () => console.log('exit'));
