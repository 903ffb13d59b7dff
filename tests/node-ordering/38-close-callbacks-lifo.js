// Close callbacks run after the check phase. libuv keeps closing handles on a
// stack, so two sockets destroyed in one callback close in reverse order.
const net = require('net');
const server = net.createServer((sock) => sock.on('error', () => {}));
server.listen(0, '127.0.0.1', () => {
  const port = server.address().port;
  const a = net.connect(port, '127.0.0.1', () => {
    const b = net.connect(port, '127.0.0.1', () => {
      a.on('close', () => console.log('close a'));
      b.on('close', () => {
        console.log('close b');
        server.close();
      });
      setImmediate(() => console.log('immediate'));
      a.destroy();
      b.destroy();
      console.log('destroyed a, then b');
    });
  });
});
