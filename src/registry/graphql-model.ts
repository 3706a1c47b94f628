/**
 * JSON Schema → GraphQL model of an event type (plain data; the GraphQL layer makes the types).
 * See graphql-model/build-model.ts for the mapping rules.
 */
export type {
  EventTypeGraphqlModel,
  GqlEnumModel,
  GqlEnumValue,
  GqlField,
  GqlObjectModel,
  GqlScalarName,
  GqlTypeRef,
  JsonSchema,
} from './graphql-model/model-types.js';
export { buildEventTypeModel } from './graphql-model/build-model.js';
export { inputToData } from './graphql-model/input-to-data.js';
export { findModelNameClash, modelTypeNames } from './graphql-model/model-names.js';
export { printModelSdl, typeText } from './graphql-model/print-sdl.js';
export { isGraphqlName } from './graphql-model/graphql-names.js';
