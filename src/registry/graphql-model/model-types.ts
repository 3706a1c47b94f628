/**
 * The plain GraphQL model of one event type, built from its JSON Schema. The GraphQL layer turns
 * it into types (Pothos); nothing here depends on a GraphQL library.
 */

/** A JSON Schema document or subschema (draft 2020-12, draft-07 keywords understood too). */
export type JsonSchema = boolean | { readonly [keyword: string]: unknown };

export type GqlScalarName = 'String' | 'Int' | 'Float' | 'Boolean' | 'JSON' | 'DateTime';

export type GqlTypeRef =
  | { readonly kind: 'scalar'; readonly name: GqlScalarName }
  | { readonly kind: 'enum'; readonly name: string }
  /** The output type's name; its input type is `${name}Input`. */
  | { readonly kind: 'object'; readonly name: string }
  | { readonly kind: 'list'; readonly of: GqlTypeRef; readonly nonNullItems: boolean };

export interface GqlField {
  /** The GraphQL field name: the JSON property name, sanitized when it is not a valid name. */
  readonly name: string;
  /** The JSON property name. */
  readonly jsonName: string;
  readonly type: GqlTypeRef;
  /** Required and never null in the schema: non-null in the output and the input type. */
  readonly nonNull: boolean;
  readonly description?: string;
}

export interface GqlObjectModel {
  /** The output type name; its input type is `${name}Input`. */
  readonly name: string;
  readonly fields: readonly GqlField[];
  readonly description?: string;
}

export interface GqlEnumValue {
  /** The GraphQL enum value name. */
  readonly name: string;
  /** The JSON string it stands for. */
  readonly value: string;
}

export interface GqlEnumModel {
  readonly name: string;
  readonly values: readonly GqlEnumValue[];
  readonly description?: string;
}

export interface EventTypeGraphqlModel {
  /** The event type: `app.created`. */
  readonly type: string;
  /** `AppCreated`. */
  readonly typeName: string;
  /** `AppCreatedData`. */
  readonly dataTypeName: string;
  /** `AppCreatedPublish`. */
  readonly publishInputName: string;
  /** `appCreated`. */
  readonly publishFieldName: string;
  /** Every object type this event type needs, the data type first. */
  readonly objects: readonly GqlObjectModel[];
  /** Every enum type this event type needs. */
  readonly enums: readonly GqlEnumModel[];
  /** The data object, or JSON when the root schema is not an object GraphQL can express. */
  readonly data: GqlTypeRef;
  /** False when the schema lets the data be null (then `data` must be nullable). */
  readonly dataNonNull: boolean;
}
