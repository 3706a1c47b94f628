// scratch: heap per idle subscription, in-process gateway on the embedded log
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { pino } from 'pino';
import { createGateway } from '../src/http/create-gateway.js';
import { createEmbeddedLog } from '../src/log/embedded/index.js';
import { startSubscriberPool } from './subscriber-pool.js';
import { fanoutQuery } from './bench-streams.js';

const dataDir = await mkdtemp(join(tmpdir(), 'memprobe-'));
const gateway = await createGateway({ log: createEmbeddedLog({ dataDir, fsync: 'never' }), logger: pino({ level: 'warn' }), adminToken: 'admin-xyzxyzxyzxyzxyzxyz', port: 0, host: '127.0.0.1' });
const gql = (q: string, v?: unknown) => fetch(`${gateway.url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer admin-xyzxyzxyzxyzxyzxyz' }, body: JSON.stringify({ query: q, variables: v }) }).then((r) => r.json());
await gql('mutation { createStream(input: { name: "bench", partitions: 3 }) { name } }');
await gql('mutation($s: JSON!) { registerEventType(input: { type: "bench.tick", stream: "bench", schema: $s }) { version } }', { s: { type: 'object', properties: { seq: { type: 'integer' }, sentAt: { type: 'number' }, region: { type: 'string' } } } });
const pool = await startSubscriberPool(2, 100);
const gc = (globalThis as any).gc as () => void;
const heap = () => { gc(); gc(); return process.memoryUsage(); };
const N = Number(process.env.N ?? 2000);
// warm
await pool.connect(10, { url: gateway.url.replace('http', 'ws') + '/graphql', mode: 'graphql-ws', authorization: 'Bearer admin-xyzxyzxyzxyzxyzxyz', query: fanoutQuery('bench') });
await new Promise((r) => setTimeout(r, 500));
const before = heap();
if (process.env.SNAP) writeHeapSnapshot('/tmp/memprobe/before.heapsnapshot');
await pool.connect(N, { url: gateway.url.replace('http', 'ws') + '/graphql', mode: 'graphql-ws', authorization: 'Bearer admin-xyzxyzxyzxyzxyzxyz', query: fanoutQuery('bench') });
await new Promise((r) => setTimeout(r, 2000));
const after = heap();
console.log(JSON.stringify({ N, heapPerSub: Math.round((after.heapUsed - before.heapUsed) / N), rssPerSub: Math.round((after.rss - before.rss) / N), extPerSub: Math.round((after.external - before.external) / N), abPerSub: Math.round((after.arrayBuffers - before.arrayBuffers) / N), stats: gateway.sharedExecution?.stats() }));
if (process.env.SNAP) writeHeapSnapshot('/tmp/memprobe/after.heapsnapshot');
await pool.closeAll(); await pool.stop(); await gateway.close(); process.exit(0);
