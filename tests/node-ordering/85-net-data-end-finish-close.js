// The events of a request and a reply: 'data' straight from the read callback, 'end' on the
// tick after end of file, the socket ends its own side on the tick after that (allowHalfOpen
// is false), 'finish' once that shutdown went through, 'close' in the closing phase.
const net = require('net');
const server = net.createServer((socket) => {
  socket.setEncoding('utf8');
  socket.on('data', (d) => console.log(`server: data ${JSON.stringify(d)}`));
  socket.on('end', () => {
    console.log('server: end');
    socket.write('bye');
  });
  socket.on('finish', () => console.log('server: finish'));
  socket.on('close', () => {
    console.log('server: close');
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1');
  client.setEncoding('utf8');
  client.on('connect', () => client.end('hello'));
  client.on('data', (d) => console.log(`client: data ${JSON.stringify(d)}`));
  client.on('end', () => console.log('client: end'));
  client.on('finish', () => console.log('client: finish'));
  client.on('close', (hadError) => console.log(`client: close, hadError ${hadError}`));
});
