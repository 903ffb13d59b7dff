// An exception thrown by a 'data' listener goes to 'uncaughtException' like any other; the
// connection carries on and its other events still come.
const net = require('net');
process.on('uncaughtException', (err) => console.log(`uncaught: ${err.message}`));
const server = net.createServer((socket) => {
  socket.on('data', () => {
    throw new Error('thrown in data');
  });
  socket.on('end', () => {
    console.log('server: end');
    socket.end();
  });
  socket.on('close', () => {
    console.log('server: close');
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end('x'));
  client.on('close', () => console.log('client: close'));
});
