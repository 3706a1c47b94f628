import type { GatewayProcess } from './gateway-process.js';

/** One series' value from the gateway's /metrics, scraped with the admin token. */
export async function scrapeMetric(gateway: GatewayProcess, series: string): Promise<number> {
  const text = await (
    await fetch(`${gateway.url}/metrics`, {
      headers: { authorization: `Bearer ${gateway.adminToken}` },
    })
  ).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return Number(line?.split(' ')[1] ?? NaN);
}

/** POSTs a GraphQL request asking for an SSE answer, with the admin token. */
export function postSse(gateway: GatewayProcess, body: string): Promise<Response> {
  return fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      authorization: `Bearer ${gateway.adminToken}`,
    },
    body,
  });
}
