import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

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
