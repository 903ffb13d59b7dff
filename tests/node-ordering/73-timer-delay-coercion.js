// Node coerces a timer's delay: numeric strings and objects with valueOf count, anything else
// that is not a number in [1, 2^31 - 1] becomes 1 ms, and a delay above 2^31 - 1 also emits a
// TimeoutOverflowWarning (on the next tick, to 'warning' listeners).
process.on('warning', (w) => console.log(`warning: ${w.name}: ${w.message.split('\n')[0]}`));
setTimeout(() => console.log('{ valueOf: 60 } (60 ms)'), { valueOf: () => 60 });
setTimeout(() => console.log('string "30" (30 ms)'), '30');
setTimeout(() => console.log('NaN (1 ms)'), NaN);
setTimeout(() => console.log('-5 (1 ms)'), -5);
setTimeout(() => console.log('"abc" (1 ms)'), 'abc');
setTimeout(() => console.log('undefined (1 ms)'));
setTimeout(() => console.log('0.5 (1 ms)'), 0.5);
setTimeout(() => console.log('2 ** 31 (overflow: 1 ms)'), 2 ** 31);
console.log('main done');
