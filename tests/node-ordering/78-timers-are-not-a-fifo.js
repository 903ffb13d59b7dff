// Timers fire in deadline order, not in the order they were created: the timers phase takes
// them from a priority queue (Node: lists by delay, ordered by expiry; libuv: a heap).
setTimeout(() => console.log('30 ms (created first)'), 30);
setTimeout(() => console.log('10 ms'), 10);
setTimeout(() => console.log('20 ms'), 20);
setTimeout(() => console.log('10 ms again (created last, same list as the first 10)'), 10);
