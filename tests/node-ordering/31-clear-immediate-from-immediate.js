// An immediate can clear another immediate queued for the same check phase:
// the cleared one does not run.
let b;
setImmediate(() => {
  console.log('immediate A clears B');
  clearImmediate(b);
});
b = setImmediate(() => console.log('immediate B (must not run)'));
setImmediate(() => console.log('immediate C'));
