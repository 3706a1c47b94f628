/**
 * The model's own types as GraphQL SDL (enums, output objects, their `…Input` twins): for the
 * printed schema, for review, and for tests that let graphql-js judge the model. The event
 * object type and `<Type>Publish` belong to the GraphQL layer, which adds the Event fields.
 */
import type { EventTypeGraphqlModel, GqlField, GqlTypeRef } from './model-types.js';

export function printModelSdl(model: EventTypeGraphqlModel): string {
  const blocks: string[] = [];
  for (const enumModel of model.enums) {
    const values = enumModel.values.map((value) => `  ${value.name}`);
    blocks.push(
      `${describeBlock(enumModel.description, '')}enum ${enumModel.name} {\n${values.join('\n')}\n}`,
    );
  }
  for (const object of model.objects) {
    const description = describeBlock(object.description, '');
    blocks.push(`${description}type ${object.name} {\n${fieldLines(object.fields, false)}\n}`);
    blocks.push(`${description}input ${object.name}Input {\n${fieldLines(object.fields, true)}\n}`);
  }
  return blocks.join('\n\n') + (blocks.length > 0 ? '\n' : '');
}

function fieldLines(fields: readonly GqlField[], input: boolean): string {
  return fields
    .map(
      (f) =>
        `${describeBlock(f.description, '  ')}  ${f.name}: ${typeText(f.type, input)}${f.nonNull ? '!' : ''}`,
    )
    .join('\n');
}

/** The type as SDL writes it, `[String!]`, with object types' input twins when `input`. */
export function typeText(type: GqlTypeRef, input: boolean): string {
  switch (type.kind) {
    case 'scalar':
    case 'enum':
      return type.name;
    case 'object':
      return input ? `${type.name}Input` : type.name;
    case 'list':
      return `[${typeText(type.of, input)}${type.nonNullItems ? '!' : ''}]`;
  }
}

function describeBlock(description: string | undefined, indent: string): string {
  if (!description) return '';
  // In a block string only a triple quote needs escaping.
  const text = description.replace(/"""/g, '\\"""');
  if (!text.includes('\n') && !text.endsWith('"') && !text.endsWith('\\'))
    return `${indent}"""${text}"""\n`;
  const lines = text.split('\n').map((line) => indent + line);
  return `${indent}"""\n${lines.join('\n')}\n${indent}"""\n`;
}
