import type { GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Principal } from '../auth/grants.js';
import { validateWithLazyTypeNames } from '../graphql/known-type-names.js';

/**
 * Serves the schema of the registry as it is now, as the operation's principal may see it
 * (schema-assembler.ts): the principal is known by now (use-auth decides it before the request
 * is parsed; graphql-ws passes it in), so validation and introspection never show another
 * team's types. Each operation gets the current schema when it starts; an open subscription
 * keeps the schema it started with, so a rebuild never drops it.
 */
export function useCurrentSchema(
  schemaFor: (principal: Principal | undefined) => GraphQLSchema,
): Plugin {
  return {
    onEnveloped({ context, setSchema }) {
      setSchema(schemaFor((context as { principal?: Principal } | undefined)?.principal));
    },
    // The registry's schema has thousands of types: validation looks names up, not lists them.
    onValidate({ setValidationFn }) {
      setValidationFn(validateWithLazyTypeNames);
    },
  };
}
