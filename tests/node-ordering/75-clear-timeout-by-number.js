// A Timeout converts to a number, and clearTimeout accepts that number.
const t = setTimeout(() => console.log('cleared by number (never)'), 1);
const id = +t;
console.log('typeof id:', typeof id);
clearTimeout(id);
const u = setTimeout(() => console.log('u runs'), 2);
clearTimeout(String(+u) + 'x');
clearTimeout(undefined);
clearTimeout(null);
clearTimeout({});
