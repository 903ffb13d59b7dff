// Listening on a port that is taken: 'error' (EADDRINUSE) on the next tick, never 'listening'.
const net = require('net');
const first = net.createServer().listen(0, '127.0.0.1', () => {
  const second = net.createServer();
  second.on('listening', () => console.log('second: listening (never)'));
  second.on('error', (err) => {
    console.log(`second: error ${err.code}`);
    first.close(() => console.log('first: close'));
  });
  second.listen(first.address().port, '127.0.0.1');
  process.nextTick(() => console.log('tick queued after listen()'));
});
