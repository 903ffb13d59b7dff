// The immediate chain of benches/peers/node_dispatch.js alone: 1M setImmediate, each queued by
// the one before. book/scripts/ch11-node.sh measures the CPU time a whole run takes.
const N = 1_000_000;
let i = 0;
(function step() {
  if (++i < N) setImmediate(step);
})();
