// The Node peer for the benchmark: ws's echo and broadcast servers, on the same paths as Socketworks.
// Usage: node server.js PORT  (listens on 127.0.0.1 only)
'use strict';
const http = require('http');
const { WebSocketServer, WebSocket } = require('ws');

const port = Number(process.argv[2] || 18981);
const echo = new WebSocketServer({ noServer: true });
const broadcast = new WebSocketServer({ noServer: true });

echo.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary }));
});

broadcast.on('connection', (socket) => {
  socket.on('message', (data, isBinary) => {
    for (const client of broadcast.clients) {
      if (client.readyState === WebSocket.OPEN) {
        client.send(data, { binary: isBinary });
      }
    }
  });
});

const server = http.createServer((request, response) => {
  response.writeHead(404);
  response.end();
});
server.on('upgrade', (request, socket, head) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  const target = path === '/echo' ? echo : path === '/broadcast' ? broadcast : null;
  if (!target) {
    socket.destroy();
    return;
  }
  target.handleUpgrade(request, socket, head, (ws) => target.emit('connection', ws, request));
});
server.listen(port, '127.0.0.1');
