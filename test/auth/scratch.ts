import { startTestGateway, setupStream } from './auth-harness.js';
const gw = await startTestGateway();
await setupStream(gw, 'orders', ['order.created', 'order.shipped']);
console.log(JSON.stringify(await gw.graphql('{ streams { name eventTypes { type graphqlType } } me { name admin } }')));
const t = await gw.issue({ grants: [{ stream: 'orders', operations: ['SUBSCRIBE'] }], tenant: 'acme' });
console.log(t);
console.log(JSON.stringify(await gw.graphql('{ me { name tenant } }', {}, { token: t.token })));
console.log(JSON.stringify(await gw.graphql('{ me { name tenant } }', {}, { token: null })));
console.log(JSON.stringify(await gw.graphql('mutation { publishJson(event: {type: "order.created", data: {orderId: "1"}}) { id cursor } }', {}, { token: t.token })));
console.log(JSON.stringify(await gw.graphql('mutation { publish(event: {orderCreated: {data: {orderId: "1"}, tenant: "acme"}}) { id cursor } }', {}, gw.admin)));
console.log(JSON.stringify(await gw.postEvents({specversion: '1.0', id: 'x1', source: 's', type: 'order.created', data: {orderId: '1'}}, { token: t.token })));
console.log(JSON.stringify(await gw.postEvents({specversion: '1.0', id: 'x1', source: 's', type: 'order.created', data: {orderId: '1'}}, { token: 'sg_0123456789abcdef_' + 'a'.repeat(43) })));
// SSE raw
const r = await fetch(gw.url + '/graphql', { method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json' }, body: JSON.stringify({ query: 'subscription { events(streams: ["orders"]) { id } }' }) });
console.log(r.status, r.headers.get('content-type'), await r.text());
const r2 = await fetch(gw.url + '/graphql', { method: 'POST', headers: { accept: 'text/event-stream', 'content-type': 'application/json', authorization: 'Bearer ' + t.token }, body: JSON.stringify({ query: 'subscription { events(streams: ["nope"]) { id } }' }) });
console.log(r2.status, r2.headers.get('content-type'), await r2.text());
await gw.close();
