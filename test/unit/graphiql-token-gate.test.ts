/**
 * The token gate relies on how @graphql-yoga/render-graphiql's page starts GraphiQL (see
 * src/http/graphiql-token-gate.ts): this fails when a new version changes that.
 */
import { describe, expect, it } from 'vitest';
import { renderGraphiQLWithTokenGate } from '../../src/http/graphiql-token-gate.js';

describe('renderGraphiQLWithTokenGate', () => {
  const page = renderGraphiQLWithTokenGate({ title: 'Streamgate', endpoint: '/graphql' });

  it('runs the gate before the library defines YogaGraphiQL and calls renderYogaGraphiQL', () => {
    const gate = page.indexOf("Object.defineProperty(globalThis, 'YogaGraphiQL'");
    const definition = page.search(/\.YogaGraphiQL\s*=\s*\{\}/);
    const call = page.indexOf('YogaGraphiQL.renderYogaGraphiQL(');
    expect(gate).toBeGreaterThan(0);
    expect(definition).toBeGreaterThan(gate);
    expect(call).toBeGreaterThan(definition);
  });

  it('puts no token or header default in the page', () => {
    expect(page).not.toMatch(/Bearer [A-Za-z0-9_]{8,}/);
    expect(page).toContain('"title":"Streamgate"');
  });
});
