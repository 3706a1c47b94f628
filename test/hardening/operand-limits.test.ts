/**
 * Finding 4 of the hardening review (its byte-limit part), as the attacker does it: 100 SSE
 * subscriptions, each with a 5 MiB filter operand, took the gateway's memory from 276 to
 * 2,460 MiB. Now variables of a query or subscription and the filter are bounded in bytes, and
 * such a subscription is refused with BAD_USER_INPUT before anything is subscribed.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { eventsSubscription } from '../support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';
import { postSse } from '../support/metrics.js';

const MIB = 1024 * 1024;

describe('subscriptions carrying huge filter operands', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  /** Opens an SSE subscription with a prepared body; resolves with the codes of its errors. */
  async function sseSubscribe(
    body: string,
  ): Promise<{ status: number; codes: string[]; messages: string[] }> {
    const response = await postSse(gateway, body);
    const reader = response.body!.getReader();
    let text = '';
    // A refused subscription ends its stream; one that was accepted would stay open.
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      text += new TextDecoder().decode(chunk.value);
    }
    const bodies = text.trimStart().startsWith('{')
      ? [text]
      : text
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice('data:'.length).trim())
          .filter(Boolean);
    const errors = bodies.flatMap(
      (json) =>
        (JSON.parse(json) as { errors?: { message: string; extensions?: { code?: string } }[] })
          .errors ?? [],
    );
    return {
      status: response.status,
      codes: errors.map((error) => error.extensions?.code ?? 'none'),
      messages: errors.map((error) => error.message),
    };
  }

  async function openSubscriptions(): Promise<number> {
    const metrics = await (
      await fetch(`${gateway.url}/metrics`, {
        headers: { authorization: `Bearer ${gateway.adminToken}` },
      })
    ).text();
    const line = metrics.split('\n').find((l) => l.startsWith('streamgate_subscriptions '));
    return Number(line?.split(' ')[1] ?? 'NaN');
  }

  test('100 SSE subscriptions with a 5 MiB operand each are refused, and nothing is subscribed', async () => {
    const body = JSON.stringify({
      query: eventsSubscription(),
      variables: {
        streams: ['platform'],
        filter: { where: [{ path: 'name', eq: 'x'.repeat(5 * MIB) }] },
      },
    });
    const answers: Awaited<ReturnType<typeof sseSubscribe>>[] = [];
    // In waves of 20 concurrent requests, so that the test process itself stays small.
    for (let wave = 0; wave < 5; wave++) {
      answers.push(...(await Promise.all(Array.from({ length: 20 }, () => sseSubscribe(body)))));
    }
    expect(answers).toHaveLength(100);
    for (const answer of answers) expect(answer.codes).toEqual(['BAD_USER_INPUT']);
    expect(answers[0]!.messages[0]).toMatch(/variables are over 262144 bytes/);
    expect(await openSubscriptions()).toBe(0);
    // The gateway serves on.
    expect(await gateway.graphql('{ me { name } }')).toEqual({ data: { me: { name: 'admin' } } });
  });

  test('a filter over its byte limit is refused, inline or in variables, and a fair one is not', async () => {
    const big = 'x'.repeat(100 * 1024); // under the variables limit, over the filter limit
    const viaVariables = await sseSubscribe(
      JSON.stringify({
        query: eventsSubscription(),
        variables: { streams: ['platform'], filter: { where: [{ path: 'name', in: [big] }] } },
      }),
    );
    expect(viaVariables.codes).toEqual(['BAD_USER_INPUT']);
    expect(viaVariables.messages[0]).toMatch(/filter is over 65536 bytes/);
    const inline = await sseSubscribe(
      JSON.stringify({
        query: `subscription { events(streams: ["platform"], filter: { resourceIds: [${Array.from(
          { length: 40 },
          () => JSON.stringify('r'.repeat(2000)),
        ).join(',')}] }) { id } }`,
      }),
    );
    expect(inline.codes).toEqual(['BAD_USER_INPUT']);
    expect(inline.messages[0]).toMatch(/filter is over 65536 bytes/);
    expect(await openSubscriptions()).toBe(0);
  });
});
