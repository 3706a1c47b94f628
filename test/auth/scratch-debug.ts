import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient as createSse } from 'graphql-sse';
import { createClient as createWs } from 'graphql-ws';
import WebSocket from 'ws';
import { createGateway } from '../../src/http/create-gateway.js';
import { createEmbeddedLog } from '../../src/log/embedded/index.js';
import { createLogger } from '../../src/logger.js';
const dataDir = await mkdtemp(join(tmpdir(), 'dbg-'));
const gw = await createGateway({ log: createEmbeddedLog({ dataDir, fsync: 'never' }), logger: createLogger({ level: 'warn' }), adminToken: 'adm', port: 0, host: '127.0.0.1', platformStream: false });
const gql = async (q: string) => (await fetch(gw.url + '/graphql', { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer adm' }, body: JSON.stringify({ query: q }) })).json();
console.log(JSON.stringify(await gql('mutation { createStream(input: {name: "orders"}) { name } }')));
const Q = 'subscription { events(streams: ["orders"]) { id } }';
const ws = createWs({ url: gw.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer adm' } });
ws.subscribe({ query: Q }, { next: (v) => console.log('ws', JSON.stringify(v)), error: (e) => console.log('ws err', e), complete: () => {} });
const stats = () => gw.services.fanout.stats().subscribers;
await new Promise((r) => setTimeout(r, 1000));
console.log('after ws', stats());
const mode = process.argv[2];
if (mode === 'ws2') {
  const ws2 = createWs({ url: gw.url.replace('http', 'ws') + '/graphql', webSocketImpl: WebSocket, connectionParams: { authorization: 'Bearer adm' } });
  ws2.subscribe({ query: Q }, { next: (v) => console.log('ws2', JSON.stringify(v)), error: (e) => console.log('ws2 err', e), complete: () => {} });
} else {
  const sse = createSse({ url: gw.url + '/graphql', headers: { authorization: 'Bearer adm' } });
  sse.subscribe({ query: Q }, { next: (v) => console.log('sse', JSON.stringify(v)), error: (e) => console.log('sse err', e), complete: () => {} });
}
await new Promise((r) => setTimeout(r, 2000));
console.log('after second', stats());
process.exit(0);
