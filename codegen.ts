/**
 * GraphQL Code Generator: TypeScript types of the gateway's SDL (schema/schema.graphql, printed
 * by scripts/print-schema.ts), the fixed contract and the platform event types alike
 * (`AppCreated`, `AppCreatedPublish`, …). `npm run codegen` prints the SDL, then runs this;
 * test/registry/schema-snapshot.test.ts fails when either output is stale.
 */
import type { CodegenConfig } from '@graphql-codegen/cli';

/** The generated file, relative to the repository root. */
export const generatedTypesFile = 'src/generated/graphql.ts';

const config: CodegenConfig = {
  schema: 'schema/schema.graphql',
  generates: {
    [generatedTypesFile]: {
      plugins: ['typescript'],
      config: {
        // The contract's scalars as the wire carries them: RFC 3339 strings and any JSON.
        scalars: { DateTime: 'string', JSON: 'unknown' },
        strictScalars: true,
        // String unions rather than TS enums: erasable (verbatimModuleSyntax), and a test can
        // write `'us'` where the wire says us.
        enumsAsTypes: true,
        useTypeImports: true,
      },
    },
  },
};

export default config;
