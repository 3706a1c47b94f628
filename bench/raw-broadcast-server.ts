/**
 * The baseline: a plain `ws` server that broadcasts what it is given to every socket, the way a
 * hand-written fan-out would (each payload serialized once, then one send per socket), with no
 * GraphQL, no auth, no log. Run as a child process; sends `{ port }` over IPC once listening.
 * `POST /broadcast` takes a JSON array of payloads and sends each as a graphql-ws `next` message.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/broadcast') {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const payloads = JSON.parse(Buffer.concat(chunks).toString()) as unknown[];
    for (const payload of payloads) {
      const message = `{"id":"1","type":"next","payload":${JSON.stringify(payload)}}`;
      for (const socket of sockets.clients) socket.send(message);
    }
    response.writeHead(204).end();
  });
});
const sockets = new WebSocketServer({ server, perMessageDeflate: false });
server.listen(0, '127.0.0.1', () => {
  process.send!({ port: (server.address() as AddressInfo).port });
});
process.on('disconnect', () => process.exit(0));
