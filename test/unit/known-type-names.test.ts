import { buildSchema, parse, specifiedRules, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import {
  validateWithLazyTypeNames,
  withLazyKnownTypeNames,
} from '../../src/graphql/known-type-names.js';

const schema = buildSchema(`
  type Query { app(id: ID!): App, search(filter: AppFilter): [App!]! }
  type App { id: ID!, name: String! }
  input AppFilter { name: String }
`);

const documents: [string, string][] = [
  ['known types only', 'query ($f: AppFilter) { search(filter: $f) { ... on App { name } } }'],
  [
    'an unknown variable type, close to a known one',
    'query ($f: AppFiltr) { app(id: "1") { id } }',
  ],
  ['an unknown fragment type', 'fragment F on Ap { id } query { app(id: "1") { ...F } }'],
  ['an unknown inline fragment type', '{ app(id: "1") { ... on Nothing { id } } }'],
  ['several unknown names', 'query ($a: Foo, $b: [Bar!]) { app(id: "1") { ... on Baz { id } } }'],
  [
    'a type defined in the document',
    'type Extra { x: Int } query ($e: Extra) { app(id: "1") { id } }',
  ],
];

describe('validation with the lazy KnownTypeNamesRule', () => {
  it.each(documents)('reports what graphql-js reports: %s', (_name, source) => {
    const document = parse(source);
    const standard = validate(schema, document).map((e) => e.toJSON());
    const lazy = validateWithLazyTypeNames(schema, document).map((e) => e.toJSON());
    expect(lazy).toEqual(standard);
  });

  it('replaces only that rule, keeping the order of the others', () => {
    const rules = withLazyKnownTypeNames();
    expect(rules).toHaveLength(specifiedRules.length);
    expect(rules.filter((rule, i) => rule !== specifiedRules[i]).map((r) => r.name)).toEqual([
      'LazyKnownTypeNamesRule',
    ]);
  });
});
