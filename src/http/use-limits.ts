import type { ServerOptions } from 'node:http';
import {
  GraphQLError,
  Kind,
  parse,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ErrorCode } from '../errors.js';

/** What one GraphQL operation may ask for; past a limit it is refused with BAD_USER_INPUT. */
export interface OperationLimits {
  /** Characters of a GraphQL document, checked before it is parsed. @default 100000 */
  readonly maxDocumentChars: number;
  /** Tokens the parser reads before it gives up (graphql-js `maxTokens`). @default 10000 */
  readonly maxTokens: number;
  /**
   * Nesting of field selections, fragments expanded. Introspection counts too: GraphiQL's
   * introspection query is 15 deep, the deepest typed event selection far less.
   * @default 20
   */
  readonly maxDepth: number;
  /** Field selections, fragments expanded (GraphiQL's introspection query selects 229). @default 1000 */
  readonly maxFields: number;
  /** Aliased fields, fragments expanded. @default 50 */
  readonly maxAliases: number;
  /** Directives, fragments expanded. @default 50 */
  readonly maxDirectives: number;
}

export const defaultOperationLimits: OperationLimits = Object.freeze({
  maxDocumentChars: 100_000,
  maxTokens: 10_000,
  maxDepth: 20,
  maxFields: 1000,
  maxAliases: 50,
  maxDirectives: 50,
});

/** Limits of the HTTP server itself, against clients that are slow or send too much. */
export interface HttpServerLimits {
  /** Bytes of all request headers (node's `maxHeaderSize`); more is answered 431. @default 16384 */
  readonly maxHeaderBytes: number;
  /** A client must send all headers within this, or gets 408 and is disconnected. @default 10000 */
  readonly headersTimeoutMs: number;
  /** A client must send the whole request (body included) within this. @default 30000 */
  readonly requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. @default 5000 */
  readonly keepAliveTimeoutMs: number;
}

export const defaultHttpServerLimits: HttpServerLimits = Object.freeze({
  maxHeaderBytes: 16 * 1024,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5000,
});

/** `createServer` options enforcing the limits (node checks the timeouts on an interval). */
export function httpServerOptions(limits: HttpServerLimits): ServerOptions {
  return {
    maxHeaderSize: limits.maxHeaderBytes,
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node's default of 30 s would let a stalled client hold its socket that much past the timeout.
    connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs, limits.requestTimeoutMs),
  };
}

/**
 * Refuses documents too large to parse cheaply and operations too deep, wide or aliased to
 * execute cheaply, before anything runs: over HTTP, SSE and graphql-ws alike (all parse and
 * validate through the envelop pipeline). Syntax errors get the contract's BAD_USER_INPUT code.
 */
export function useLimits(overrides: Partial<OperationLimits> = {}): Plugin {
  const limits: OperationLimits = { ...defaultOperationLimits, ...overrides };
  return {
    onParse({ setParseFn }) {
      setParseFn((source, options) => {
        const text = typeof source === 'string' ? source : source.body;
        if (text.length > limits.maxDocumentChars) {
          throw limitError(
            `the document has ${text.length} characters; the limit is ${limits.maxDocumentChars}`,
          );
        }
        try {
          return parse(source, { ...options, maxTokens: limits.maxTokens });
        } catch (error) {
          throw error instanceof GraphQLError ? asBadUserInput(error) : error;
        }
      });
    },
    onValidate({ params, setResult }) {
      // Measured before the standard rules run: some of them cost quadratic time in the size of
      // the document, which the limits keep small.
      const over = exceededLimits(params.documentAST, limits);
      if (over.length > 0) return setResult(over);
      // Before Yoga's own hook, which would give them GRAPHQL_VALIDATION_FAILED (not a contract code).
      return ({ result }) => {
        for (const error of result as GraphQLError[]) {
          if (error.extensions['code'] === undefined) Object.assign(error.extensions, badUserInput);
        }
      };
    },
    onResultProcess({ result }) {
      // Refusals of Yoga's HTTP layer (invalid JSON, a batch, a body over maxRequestBodySize)
      // in the contract's terms; the HTTP status stays.
      if (Array.isArray(result) || Symbol.asyncIterator in result) return;
      for (const error of result.errors ?? []) {
        const contractCode = httpLayerCodes[String(error.extensions?.['code'])];
        if (contractCode) Object.assign(error.extensions ?? {}, { code: contractCode });
      }
    },
  };
}

const httpLayerCodes: Readonly<Record<string, ErrorCode>> = {
  BAD_REQUEST: 'BAD_USER_INPUT',
  REQUEST_ENTITY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
};

/** A graphql-js error (syntax, validation, variable coercion) with the contract's BAD_USER_INPUT code. */
export function asBadUserInput(error: GraphQLError): GraphQLError {
  if (error.extensions['code'] !== undefined) return error;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.path ? { path: error.path } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, ...badUserInput },
  });
}

const badUserInput = {
  code: 'BAD_USER_INPUT',
  http: { status: ErrorCode.BAD_USER_INPUT },
} as const;

function limitError(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: badUserInput });
}

interface SelectionCost {
  depth: number;
  fields: number;
  aliases: number;
  directives: number;
}

/**
 * Measures every operation of the document in one pass and says which limits it exceeds. A
 * fragment is measured once and its cost reused at every spread, so a "fragment bomb" (each
 * fragment spreading the next one many times) takes linear time to measure while its expanded
 * size still counts against the limits.
 */
export function exceededLimits(document: DocumentNode, limits: OperationLimits): GraphQLError[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  const measured = new Map<string, SelectionCost>();
  const measuring = new Set<string>();

  function fragmentCost(name: string): SelectionCost {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // Unknown fragments and cycles are reported by the standard rules; here they cost nothing.
    if (!fragment || measuring.has(name)) return { depth: 0, fields: 0, aliases: 0, directives: 0 };
    measuring.add(name);
    const cost = selectionCost(fragment.selectionSet);
    cost.directives += fragment.directives?.length ?? 0;
    measuring.delete(name);
    measured.set(name, cost);
    return cost;
  }

  function selectionCost(selectionSet: SelectionSetNode): SelectionCost {
    const total: SelectionCost = { depth: 0, fields: 0, aliases: 0, directives: 0 };
    const add = (cost: SelectionCost, extraDepth: number) => {
      total.depth = Math.max(total.depth, cost.depth + extraDepth);
      total.fields += cost.fields;
      total.aliases += cost.aliases;
      total.directives += cost.directives;
    };
    for (const selection of selectionSet.selections) {
      total.directives += selection.directives?.length ?? 0;
      switch (selection.kind) {
        case Kind.FIELD:
          total.fields += 1;
          if (selection.alias) total.aliases += 1;
          total.depth = Math.max(total.depth, 1);
          if (selection.selectionSet) add(selectionCost(selection.selectionSet), 1);
          break;
        case Kind.INLINE_FRAGMENT:
          add(selectionCost(selection.selectionSet), 0);
          break;
        case Kind.FRAGMENT_SPREAD:
          add(fragmentCost(selection.name.value), 0);
          break;
      }
    }
    return total;
  }

  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION)
      fragments.set(definition.name.value, definition);
  }
  const errors: GraphQLError[] = [];
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const cost = selectionCost(definition.selectionSet);
    cost.directives += definition.directives?.length ?? 0;
    const name = definition.name ? `operation "${definition.name.value}"` : 'the operation';
    const checks: [number, number, string][] = [
      [cost.depth, limits.maxDepth, `is nested ${cost.depth} levels deep`],
      [cost.fields, limits.maxFields, `selects ${cost.fields} fields`],
      [cost.aliases, limits.maxAliases, `uses ${cost.aliases} aliases`],
      [cost.directives, limits.maxDirectives, `uses ${cost.directives} directives`],
    ];
    for (const [value, limit, what] of checks) {
      if (value > limit) {
        errors.push(
          new GraphQLError(`${name} ${what}; the limit is ${limit}`, {
            nodes: definition,
            extensions: badUserInput,
          }),
        );
      }
    }
  }
  return errors;
}
