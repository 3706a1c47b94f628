/**
 * The probes an orchestrator polls, on a gateway started as a user starts it: `/health` answers
 * the gateway's own JSON (not Yoga's built-in empty 200), `/ready` says whether the gateway can
 * serve, and no other path passes for a health check.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../support/gateway-process.js';

describe('health and readiness probes', () => {
  let gateway: GatewayProcess;

  beforeAll(async () => {
    gateway = await startGatewayProcess();
  });
  afterAll(async () => {
    await gateway?.stop();
  });

  test('GET /health answers 200 with the gateway’s JSON and a request id', async () => {
    const response = await fetch(`${gateway.url}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-request-id')).toBeTruthy();
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  test('GET /ready answers 200 with its status once the log and the registry are loaded', async () => {
    const response = await fetch(`${gateway.url}/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready' });
  });

  test('paths that merely end in /health are not health checks', async () => {
    for (const path of ['/graphql/health', '/anything/health']) {
      const response = await fetch(`${gateway.url}${path}`);
      expect(response.status, path).toBe(404);
    }
  });
});
