// The first check phase comes before the 10 ms timer is due: an immediate
// that clears it means it never runs, and the loop exits.
const t = setTimeout(() => console.log('timeout 10 (must not run)'), 10);
setImmediate(() => {
  clearTimeout(t);
  console.log('immediate cleared the timeout');
});
process.on('exit', () => console.log('exit'));
