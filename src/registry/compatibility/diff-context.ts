import type { SchemaNode } from './schema-node.js';
import type { SchemaSide } from './schema-side.js';

/** One change that makes data written with one schema unreadable by a reader of the other. */
export interface SchemaChange {
  /** JSON pointer into the schema, e.g. "#/properties/region/properties/name". */
  readonly path: string;
  /** A stable kebab-case code, e.g. "property-removed-from-closed-content-model". */
  readonly change: string;
  /** What breaks, naming the path and both schemas. */
  readonly message: string;
}

/** How messages name the two schemas, e.g. "the new schema" and "version 2". */
export interface Roles {
  readonly reader: string;
  readonly writer: string;
}

type PairSet = Map<object, Set<object>>;

/**
 * State of one comparison: both documents, how messages name them, and the pairs of nodes being
 * compared right now, so that recursive `$ref`s end instead of looping.
 */
export class DiffContext {
  private constructor(
    readonly writer: SchemaSide,
    readonly reader: SchemaSide,
    readonly roles: Roles,
    private readonly active: { readonly same: PairSet; readonly flipped: PairSet },
  ) {}

  static create(writer: SchemaSide, reader: SchemaSide, roles: Roles): DiffContext {
    return new DiffContext(writer, reader, roles, { same: new Map(), flipped: new Map() });
  }

  /** The context with writer and reader exchanged (for `not`, which reverses the direction). */
  swapped(): DiffContext {
    const roles = { reader: this.roles.writer, writer: this.roles.reader };
    const active = { same: this.active.flipped, flipped: this.active.same };
    return new DiffContext(this.reader, this.writer, roles, active);
  }

  change(path: string, change: string, message: string): SchemaChange {
    return { path, change, message: `${path}: ${message}` };
  }

  /**
   * Marks a pair as being compared; false when it already is. A pair met again inside itself
   * is a recursive schema, and is taken as compatible there: any real difference shows up at
   * the first level of the recursion.
   */
  enter(writer: SchemaNode, reader: SchemaNode): boolean {
    if (typeof writer !== 'object' || typeof reader !== 'object') return true;
    let readers = this.active.same.get(writer);
    if (!readers) this.active.same.set(writer, (readers = new Set()));
    if (readers.has(reader)) return false;
    readers.add(reader);
    return true;
  }

  leave(writer: SchemaNode, reader: SchemaNode): void {
    if (typeof writer === 'object' && typeof reader === 'object') {
      this.active.same.get(writer)?.delete(reader);
    }
  }
}

/** Appends a JSON-pointer token to a path, escaping "~" and "/". */
export function childPath(path: string, ...tokens: ReadonlyArray<string | number>): string {
  const escaped = tokens.map((token) => String(token).replace(/~/g, '~0').replace(/\//g, '~1'));
  return [path, ...escaped].join('/');
}

/** A value as it reads in a message. */
export function show(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}
