// server.close() stops accepting at once, but the server's 'close' waits until every
// connection has been destroyed; it comes on the tick after the last one's destroy(), before
// that socket's own 'close' (closing phase).
const net = require('net');
const server = net.createServer((socket) => {
  console.log('server: connection, closing the server');
  server.close(() => console.log('server: close event'));
  console.log('server: listening after close() =', server.listening);
  setTimeout(() => {
    console.log('server: destroying the last connection');
    socket.on('close', () => console.log('server: socket close'));
    socket.destroy();
    process.nextTick(() => console.log('tick after destroy'));
  }, 20);
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.on('end', () => console.log('client: end'));
  client.on('close', () => console.log('client: close'));
});
