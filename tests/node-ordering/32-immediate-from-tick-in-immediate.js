// A nextTick queued by an immediate runs before the next immediate; an
// immediate queued by that tick waits for the next check phase.
setImmediate(() => {
  console.log('immediate A');
  process.nextTick(() => {
    console.log('tick from A');
    setImmediate(() => console.log('immediate from the tick (next turn)'));
  });
});
setImmediate(() => console.log('immediate B'));
