// hasRef() follows ref() and unref(); an unref'd timer made ref'd again keeps the loop alive.
const t = setTimeout(() => console.log('t ran: ref() brought it back'), 1000);
console.log('fresh:', t.hasRef());
t.unref();
console.log('after unref:', t.hasRef());
t.ref();
console.log('after ref:', t.hasRef());
const u = setTimeout(() => console.log('u (never: unref and nothing else alive later)'), 500);
u.unref();
const i = setImmediate(() => console.log('immediate ran'));
console.log('immediate hasRef:', i.hasRef());
setImmediate(() => console.log('after it ran:', i.hasRef()));
process.on('exit', () => console.log('exit'));
