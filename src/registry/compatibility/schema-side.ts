import {
  COMBINATORS,
  hasConstraintsBesides,
  isSchemaObject,
  subschemaList,
  type SchemaNode,
  type SchemaObject,
} from './schema-node.js';

/**
 * One of the two schema documents being compared (the writer's or the reader's): resolves local
 * `$ref`s ("#", JSON pointers into `$defs`/`definitions`/anywhere, and `$anchor`s) against it.
 */
export class SchemaSide {
  // `$ref` with sibling keywords becomes an allOf; cached so a node keeps one identity, which
  // the cycle guard of recursive schemas relies on.
  private readonly refWithSiblings = new WeakMap<SchemaObject, SchemaObject>();
  private anchors: Map<string, SchemaNode> | undefined;

  private readonly synthetic = new WeakSet<SchemaObject>();

  constructor(readonly root: SchemaNode) {}

  /** True for the allOf made of a `$ref` and its siblings: paths should not show that allOf. */
  isRefWithSiblings(node: SchemaNode): boolean {
    return isSchemaObject(node) && this.synthetic.has(node);
  }

  /**
   * Follows `$ref`s and unwraps single-member allOf/anyOf/oneOf until the node says something
   * itself. A `$ref` that cannot be resolved is left in place.
   */
  deref(node: SchemaNode): SchemaNode {
    const seen = new Set<SchemaObject>();
    let current = node;
    while (isSchemaObject(current) && !seen.has(current)) {
      seen.add(current);
      const ref = current['$ref'];
      if (typeof ref === 'string') {
        const target = this.resolve(ref);
        if (target === undefined) return current;
        // Ajv (our validator) applies keywords beside $ref in every draft, so we do the same.
        if (hasConstraintsBesides(current, '$ref')) return this.withSiblings(current, target);
        current = target;
        continue;
      }
      const single = singleMember(current);
      if (single === undefined) return current;
      current = single;
    }
    return current;
  }

  /** The node a local reference points at; undefined for remote or dangling references. */
  resolve(ref: string): SchemaNode | undefined {
    if (ref === '#' || ref === '') return this.root;
    if (ref.startsWith('#/')) return this.pointer(ref.slice(2));
    if (ref.startsWith('#')) return this.anchor(decodeURIComponent(ref.slice(1)));
    return undefined;
  }

  private pointer(pointer: string): SchemaNode | undefined {
    let current: unknown = this.root;
    for (const raw of pointer.split('/')) {
      const token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
      if (Array.isArray(current)) current = current[Number(token)];
      else if (isSchemaObject(current) && Object.hasOwn(current, token)) current = current[token];
      else return undefined;
    }
    return typeof current === 'boolean' || isSchemaObject(current) ? current : undefined;
  }

  private anchor(name: string): SchemaNode | undefined {
    if (!this.anchors) {
      this.anchors = new Map();
      collectAnchors(this.root, this.anchors);
    }
    return this.anchors.get(name);
  }

  private withSiblings(node: SchemaObject, target: SchemaNode): SchemaObject {
    let combined = this.refWithSiblings.get(node);
    if (!combined) {
      const { $ref: _ref, ...siblings } = node;
      combined = { allOf: [target, siblings] };
      this.refWithSiblings.set(node, combined);
      this.synthetic.add(combined);
    }
    return combined;
  }
}

/** The single sub-schema of a node that is nothing but a one-member allOf/anyOf/oneOf. */
function singleMember(node: SchemaObject): SchemaNode | undefined {
  for (const combinator of COMBINATORS) {
    const members = subschemaList(node, combinator);
    if (members?.length === 1 && !hasConstraintsBesides(node, combinator)) return members[0];
  }
  return undefined;
}

function collectAnchors(node: unknown, into: Map<string, SchemaNode>): void {
  if (Array.isArray(node)) {
    for (const item of node) collectAnchors(item, into);
    return;
  }
  if (!isSchemaObject(node)) return;
  const anchor = node['$anchor'];
  if (typeof anchor === 'string') into.set(anchor, node);
  // draft-07 spells a plain-name anchor as "$id": "#name".
  const id = node['$id'];
  if (typeof id === 'string' && id.startsWith('#')) into.set(id.slice(1), node);
  for (const [keyword, value] of Object.entries(node)) {
    if (!DATA_KEYWORDS.has(keyword)) collectAnchors(value, into);
  }
}

// Their values are data, not schemas, so an "$anchor" inside them names nothing.
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples']);
