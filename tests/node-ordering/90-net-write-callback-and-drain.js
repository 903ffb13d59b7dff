// A write the kernel takes at once calls back on the next tick; socket.end(cb) calls back on
// 'finish'.
const net = require('net');
const server = net.createServer((socket) => {
  let got = '';
  socket.setEncoding('utf8');
  socket.on('data', (d) => (got += d));
  socket.on('end', () => {
    console.log(`server: got ${JSON.stringify(got)}`);
    socket.end();
    server.close();
  });
});
server.listen(0, '127.0.0.1', () => {
  const client = net.connect(server.address().port, '127.0.0.1', () => {
    const ok = client.write('one', () => console.log('client: write callback'));
    console.log(`client: write returned ${ok}`);
    process.nextTick(() => console.log('client: tick queued after write'));
    client.end('two', () => console.log('client: end callback (finish)'));
  });
  client.on('close', () => console.log('client: close'));
});
