// An unref'd timer still fires while something else keeps the loop alive; an
// unref'd interval does not keep the loop alive on its own.
const weak = setTimeout(() => console.log('unref timeout 5 (loop kept alive by the 50)'), 5);
weak.unref();
const iv = setInterval(() => console.log('unref interval 1000 (must not run)'), 1000);
iv.unref();
setTimeout(() => console.log('ref timeout 50'), 50);
process.on('exit', () => console.log('exit'));
