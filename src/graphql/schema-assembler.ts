/**
 * Keeps the gateway's GraphQL schema in step with the registry, off the request path and
 * without stalling the event loop: each event type version's GraphQL types are built once and
 * kept; a registry change rebuilds only the types it touches, in slices of a few milliseconds
 * that yield between them, in a task of its own (never inside the registry's read of the log);
 * then the new schema is assembled from the kept types, in slices too. Operations use the
 * previous schema until the new one is ready, and an open subscription keeps the schema it
 * started with.
 *
 * At start, the first schema is assembled from types whose fields graphql-js resolves later
 * (about half the building at thousands of event types): the gateway is ready sooner, and the
 * fields are then resolved in the background, in slices, before an introspection asks for all.
 */
import type { GraphQLSchema } from 'graphql';
import { can, Operations, type Principal } from '../auth/grants.js';
import type { Registry } from '../registry/registry.js';
import type { EventTypeDef } from '../registry/registry-state.js';
import {
  assembleSchema,
  assembleSchemaInSlices,
  buildFixedSchema,
  eventTypeGraphqlOf,
  type FixedSchema,
} from './build-schema.js';
import { resolveEventTypeFields, type EventTypeGraphql } from './event-type-graphql.js';

export interface SchemaAssemblerOptions {
  readonly registry: Registry;
  readonly logger?: {
    info(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
  /** Longest stretch of building before yielding to the event loop. @default 8 */
  readonly sliceMs?: number;
  /** Schemas kept for tokens that see only part of the registry. @default 256 */
  readonly scopedSchemas?: number;
}

export interface SchemaAssembler {
  /** The schema of the whole registry, as of the last assembly. */
  readonly schema: GraphQLSchema;
  /** The registry's schemaRevision the schema reflects. */
  readonly revision: number;
  /**
   * The schema a principal may see: only the event types of streams (and types) it holds a
   * grant on, so introspection and GraphiQL show no other team's types and fields.
   */
  schemaFor(principal: Principal | undefined): GraphQLSchema;
  /** Builds every event type's types; resolves when the first schema is assembled. */
  start(): Promise<void>;
  /** Resolves once the schema reflects the registry as it is now (or an assembly failed). */
  settled(): Promise<void>;
  close(): void;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createSchemaAssembler(options: SchemaAssemblerOptions): SchemaAssembler {
  const { registry, logger } = options;
  const state = registry.state;
  const sliceMs = options.sliceMs ?? 8;
  const maxScoped = options.scopedSchemas ?? 256;
  const fixed: FixedSchema = buildFixedSchema((type) => state.eventTypes.get(type)?.graphqlName);
  /** Built types by event type, each for the version and deprecation it was built from. */
  const built = new Map<string, EventTypeGraphql>();
  /** Built for the first schema with their field thunks left for resolveLater. */
  const unresolved: EventTypeGraphql[] = [];
  let schema = assembleSchema(fixed, [], { assumeValid: false });
  let revision = -1;
  let running: Promise<void> | undefined;
  let closed = false;
  let scoped = new Map<string, GraphQLSchema>();
  const waiters: (() => void)[] = [];

  const isCurrent = (def: EventTypeDef, kit: EventTypeGraphql | undefined) =>
    kit !== undefined &&
    kit.version === def.versions.length &&
    kit.deprecationReason === def.deprecationReason &&
    kit.model === def.graphqlModel;

  /** Rebuilds what changed, slice by slice, until the schema matches the registry. */
  async function catchUp(): Promise<void> {
    // Its own task: the registry record that called for it has finished applying first.
    await yieldToEventLoop();
    while (!closed && revision !== state.schemaRevision) {
      // Before the first schema: leave field thunks for resolveLater.
      const first = revision === -1;
      const started = performance.now();
      let sliceStart = started;
      let rebuilt = 0;
      const stale = [...state.eventTypes.values()].filter(
        (def) => !isCurrent(def, built.get(def.type)),
      );
      for (const def of stale) {
        if (closed) return;
        // The registry may have moved on during a yield: build what it holds now.
        const now = state.eventTypes.get(def.type);
        if (now && !isCurrent(now, built.get(now.type))) {
          try {
            const kit = eventTypeGraphqlOf(now, fixed, { resolveFields: !first });
            built.set(now.type, kit);
            if (first) unresolved.push(kit);
            rebuilt++;
          } catch (error) {
            // Never expected (the registry accepts only models that build); the type stays out.
            logger?.error({ err: error, type: now.type }, 'event type left out of the schema');
            built.delete(now.type);
          }
        }
        if (performance.now() - sliceStart >= sliceMs) {
          await yieldToEventLoop();
          sliceStart = performance.now();
        }
      }
      // A consistent snapshot: every built type matches the registry of this moment.
      for (const type of built.keys()) if (!state.eventTypes.has(type)) built.delete(type);
      const behind = [...state.eventTypes.values()].some(
        (def) => !isCurrent(def, built.get(def.type)),
      );
      if (behind) continue;
      const snapshotRevision = state.schemaRevision;
      const assembleStarted = performance.now();
      const kits = [...built.values()].sort((a, b) =>
        a.type < b.type ? -1 : a.type > b.type ? 1 : 0,
      );
      // Assembled in slices too; the registry may move on meanwhile, the snapshot stays valid.
      const assembled = await assembleSchemaInSlices(fixed, kits, () => {
        if (performance.now() - sliceStart < sliceMs) return undefined;
        return yieldToEventLoop().then(() => {
          sliceStart = performance.now();
        });
      });
      if (closed) return;
      schema = assembled;
      revision = snapshotRevision;
      scoped = new Map();
      logger?.info(
        {
          eventTypes: kits.length,
          rebuilt,
          assembleMs: Math.round(performance.now() - assembleStarted),
          ms: Math.round(performance.now() - started),
        },
        'schema assembled',
      );
      if (first) void resolveLater();
    }
    for (const resolve of waiters.splice(0)) resolve();
  }

  /** Resolves the fields of the types the first schema left unresolved, slice by slice. */
  async function resolveLater(): Promise<void> {
    await yieldToEventLoop();
    let sliceStart = performance.now();
    for (const kit of unresolved.splice(0)) {
      if (closed) return;
      // A kit a later version replaced is no longer served: nothing to resolve.
      if (built.get(kit.type) === kit) {
        try {
          resolveEventTypeFields(kit);
        } catch (error) {
          // Never expected (the registry accepts only models that build); the operation that
          // reaches the type would meet the same error.
          logger?.error({ err: error, type: kit.type }, 'event type fields not resolved');
        }
      }
      if (performance.now() - sliceStart >= sliceMs) {
        await yieldToEventLoop();
        sliceStart = performance.now();
      }
    }
  }

  function schedule(): void {
    if (running || closed) return;
    let failed = false;
    running = catchUp()
      .catch((error: unknown) => {
        // Logged, and tried again at the next registry change; meanwhile the last schema serves.
        failed = true;
        logger?.error({ err: error }, 'schema assembly failed');
        for (const resolve of waiters.splice(0)) resolve();
      })
      .finally(() => {
        running = undefined;
        // A change that arrived during the last assembly's final check starts another round.
        if (!failed && !closed && revision !== state.schemaRevision) schedule();
      });
  }

  const unsubscribe = registry.onChange(() => schedule());

  function visibleTo(principal: Principal): EventTypeGraphql[] | undefined {
    const kits = [...built.values()];
    const visible = kits.filter((kit) => {
      const def = state.eventTypes.get(kit.type);
      return def !== undefined && Operations.some((op) => can(principal, op, def.stream, kit.type));
    });
    return visible.length === kits.length ? undefined : visible;
  }

  return {
    get schema() {
      return schema;
    },
    get revision() {
      return revision;
    },
    schemaFor(principal) {
      if (!principal || principal.admin) return schema;
      // Grants decide visibility; tokens with the same grants share one schema.
      const key = JSON.stringify(principal.grants);
      let own = scoped.get(key);
      if (!own) {
        const visible = visibleTo(principal);
        own =
          visible === undefined ? schema : assembleSchema(fixed, visible, { assumeValid: true });
        if (scoped.size >= maxScoped) scoped = new Map();
        scoped.set(key, own);
      }
      return own;
    },
    async start() {
      schedule();
      await this.settled();
    },
    settled() {
      if (revision === state.schemaRevision) return Promise.resolve();
      schedule();
      return new Promise<void>((resolve) => waiters.push(resolve));
    },
    close() {
      closed = true;
      unsubscribe();
      for (const resolve of waiters.splice(0)) resolve();
    },
  };
}
