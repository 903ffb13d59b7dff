// Both ends of one connection, in one process: the server's 'listening' comes on the tick
// after listen(); the client connects on the tick after connect() (a numeric address needs no
// lookup); 'connect' and 'connection' each come from a poll phase.
const net = require('net');
const server = net.createServer((socket) => {
  console.log('server: connection');
  process.nextTick(() => console.log('server: tick after connection'));
  socket.on('end', () => socket.end());
  socket.on('close', () => {
    console.log('server: socket close');
    server.close(() => console.log('server: close'));
  });
});
server.listen(0, '127.0.0.1', () => {
  console.log('server: listening');
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    console.log('client: connect');
    client.end();
  });
  client.on('ready', () => console.log('client: ready'));
  client.on('close', () => console.log('client: close'));
  console.log('client: connect() returned, connecting =', client.connecting);
});
console.log('main: listen() returned, listening =', server.listening);
