// Connecting to a port nobody listens on: 'error' (ECONNREFUSED) on a tick, then 'close' with
// hadError true in the closing phase; the program goes on.
const net = require('net');
const probe = net.createServer().listen(0, '127.0.0.1', () => {
  const port = probe.address().port;
  probe.close(() => {
    const client = net.connect(port, '127.0.0.1');
    client.on('error', (err) => console.log(`client: error ${err.code} ${err.syscall}`));
    client.on('close', (hadError) => console.log(`client: close, hadError ${hadError}`));
    setImmediate(() => console.log('immediate'));
  });
});
process.on('exit', (code) => console.log(`exit ${code}`));
