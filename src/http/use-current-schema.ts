import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { buildGatewaySchema } from '../graphql/build-schema.js';
import type { Logger } from '../logger.js';
import type { Registry } from '../registry/registry.js';

/**
 * Serves the schema of the registry as it is now. Each operation gets the current schema when
 * it starts; an open subscription keeps the schema it started with, so a rebuild never drops it.
 */
export function useCurrentSchema(current: () => GraphQLSchema): Plugin {
  return {
    onEnveloped({ setSchema }) {
      setSchema(current());
    },
  };
}

/** The registry's schema, rebuilt on first use after the registry changed. */
export function createCurrentSchema(registry: Registry, logger: Logger): () => GraphQLSchema {
  let schema = buildGatewaySchema(registry.state);
  let schemaRevision = registry.state.schemaRevision;
  return () => {
    if (registry.state.schemaRevision !== schemaRevision) {
      const started = performance.now();
      schemaRevision = registry.state.schemaRevision;
      schema = buildGatewaySchema(registry.state);
      logger.info(
        { ms: Math.round(performance.now() - started), eventTypes: registry.state.eventTypes.size },
        'schema rebuilt',
      );
    }
    return schema;
  };
}
