// console.log formats values the way Node's util.inspect does, for the simple cases programs
// print: strings (bare at the top level, quoted inside), numbers, -0, bigints, booleans,
// undefined and null, arrays (long ones in columns), plain and nested objects, Maps, Sets,
// functions, classes, dates, symbols, Buffers, and printf-style %s %d %i %f %j %o %%.
console.log('a string', 42, -0, 10n, true, undefined, null);
console.log(['one', 2, [3, [4, [5, [6]]]], { nested: { deeper: { deepest: {} } } }]);
console.log({ a: 1, 'b-c': 'it\'s', [Symbol('s')]: 'sym', f() {}, g: () => {}, h: class Foo {} });
console.log([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
console.log(['apple', 'banana', 'cherry', 'date', 'elderberry', 'fig', 'grape', 'honeydew']);
console.log(new Map([['k', 1], [{ x: 1 }, [2]]]), new Set([1, 'two', [3]]), new Map(), new Set());
console.log([undefined, null, , 4], [, , ,], { long: 'x'.repeat(70), second: 'y'.repeat(10) });
console.log(new Date(0), [new Date(86400000)], /re+g/gi, Symbol('desc'), Symbol.iterator);
console.log(Buffer.from('hi!'), [Buffer.from([1, 2])], new Uint8Array([1, 2, 3]), []);
console.log(function named() {}, async function asy() {}, function* gen() {}, () => {}, Math.max);
class Point { constructor() { this.x = 1; this.y = 2; } }
console.log(new Point(), [new Point()], Object.create(null), { __proto__: null, a: 1 });
const circular = { name: 'loop' };
circular.self = circular;
console.log(circular, [circular]);
console.log('%s is %d years and %i days, %f%% sure, %j, %o', 'Bob', 42.5, 3.9, 0.5, { a: [1] }, [1]);
console.log('%s %s', 'only one');
console.log('100%', 'literal', '%d', 'no args left', 5);
console.log({ a: [1, 2, { b: [3, { c: 4 }] }] }, [[[[[1]]]]], { 1: 'one', '2x': 2, valid_id: 3 });
console.log(new Error('message only').message, [1.5, -2.25, 1e21, 1e-7, NaN, Infinity, -Infinity]);
console.log('multi\nline', ['multi\nline'], 'tab\there', ['quote "double"', "both ' and \""]);
console.log(Object.assign(() => {}, { prop: 1 }), new Number(3), new String('boxed'), new Boolean(false));
console.log(new WeakMap(), Promise.resolve(7), Promise.reject(new Error('no')).catch(() => {}) && 'caught');
