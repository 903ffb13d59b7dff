// dns.lookup runs getaddrinfo on the thread pool: its callback, like an fs callback, runs in
// the poll phase, so an immediate queued there comes before a 0 ms timeout.
const dns = require('dns');
dns.lookup('localhost', (err) => {
  console.log('lookup done, error:', err);
  setTimeout(() => console.log('timeout'), 0);
  setImmediate(() => console.log('immediate'));
});
