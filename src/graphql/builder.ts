import SchemaBuilder from '@pothos/core';
import { GraphQLError, Kind } from 'graphql';
import { JSONResolver } from 'graphql-scalars';
import { parseRfc3339 } from '../events/rfc3339.js';
import type { GatewayContext } from './context.js';

export interface SchemaTypes {
  Context: GatewayContext;
  Scalars: {
    JSON: { Input: unknown; Output: unknown };
    /** RFC 3339 strings in and out, kept as the client wrote them. */
    DateTime: { Input: string; Output: string | Date };
  };
  DefaultFieldNullability: false;
  DefaultInputFieldRequiredness: false;
}

/** The resolved Pothos types of the gateway's builder. */
export type Types = PothosSchemaTypes.ExtendDefaultTypes<SchemaTypes>;
export type Builder = PothosSchemaTypes.SchemaBuilder<Types>;

function parseDateTime(value: unknown): string {
  if (typeof value !== 'string' || parseRfc3339(value) === undefined) {
    throw new GraphQLError(`DateTime must be an RFC 3339 date-time, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** A fresh builder with the contract's scalars; the schema is built anew when the registry changes. */
export function createBuilder(): Builder {
  const builder = new SchemaBuilder<SchemaTypes>({
    defaultFieldNullability: false,
  });
  builder.addScalarType('JSON', JSONResolver);
  builder.scalarType('DateTime', {
    description: 'An RFC 3339 date-time, e.g. 2026-11-24T17:48:23.000Z.',
    serialize: (value) => (value instanceof Date ? value.toISOString() : value),
    parseValue: parseDateTime,
    parseLiteral(ast) {
      if (ast.kind !== Kind.STRING)
        throw new GraphQLError('DateTime must be a string', {
          extensions: { code: 'BAD_USER_INPUT' },
        });
      return parseDateTime(ast.value);
    },
  });
  return builder;
}
