// A paused socket keeps what arrives; resume() delivers it on the next tick, and 'end' only
// after that.
const net = require('net');
const server = net.createServer((socket) => {
  socket.pause();
  socket.setEncoding('utf8');
  socket.on('data', (d) => console.log(`server: data ${JSON.stringify(d)}`));
  socket.on('end', () => {
    console.log('server: end');
    server.close();
  });
  socket.on('resume', () => console.log('server: resume event'));
  setTimeout(() => {
    console.log('server: resuming');
    socket.resume();
  }, 50);
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => client.end('held'));
  client.on('close', () => console.log('client: close'));
});
