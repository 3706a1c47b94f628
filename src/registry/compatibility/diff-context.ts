import type { SchemaNode } from './schema-node.js';
import type { SchemaSide } from './schema-side.js';

/** One change that makes data written with one schema unreadable by a reader of the other. */
export interface SchemaChange {
  /** JSON pointer into the schema, e.g. "#/properties/region/properties/name". */
  readonly path: string;
  /** A stable kebab-case code, e.g. "property-removed-from-closed-content-model". */
  readonly change: string;
  /** What breaks, starting with the path and naming both schemas. */
  readonly message: string;
}

/**
 * A change as the comparison builds it. Its text never holds an absolute path (nested reasons
 * are given relative), so a finding computed once can be moved to another path.
 */
export interface Finding {
  readonly path: string;
  readonly change: string;
  readonly text: string;
  /** The finding this one was moved from, when recalled for a pair reached along another route. */
  readonly origin?: Finding;
}

/** How messages name the two schemas, e.g. "the new schema" and "version 2". */
export interface Roles {
  readonly reader: string;
  readonly writer: string;
}

type PairMap<T> = Map<object, Map<object, T>>;

/** Per direction: the node pairs being compared now, and the findings of pairs compared before. */
interface PairState {
  readonly active: PairMap<true>;
  readonly memo: PairMap<{ readonly path: string; readonly findings: readonly Finding[] }>;
}

const newState = (): PairState => ({ active: new Map(), memo: new Map() });

/**
 * How many node pairs one check may compare. Registered schemas are user input and the check
 * runs on the event loop, so a pathological schema must fail fast instead of stalling it.
 * @default 200_000
 */
export const MAX_COMPARED_PAIRS = 200_000;

/**
 * How deep pair comparisons may nest (each level is a property, item, member or `$ref` step).
 * Real schemas stay far below; the limit keeps the call stack safe.
 * @default 400
 */
export const MAX_NESTING = 400;

/**
 * How many findings one pair keeps. A pair reached along many routes is reported once anyway;
 * this bounds memory for schemas whose definitions refer to one another.
 * @default 50
 */
export const MAX_FINDINGS_PER_PAIR = 50;

/** Thrown when a check exceeds MAX_COMPARED_PAIRS or MAX_NESTING. */
export class ComparisonTooComplex extends Error {}

interface Budget {
  remaining: number;
  depth: number;
}

/**
 * State of one comparison: both documents and how messages name them. Node pairs are
 * remembered, as in Confluent's checker, so that schemas whose definitions refer to one
 * another are compared in polynomial time and recursive ones end.
 */
export class DiffContext {
  private constructor(
    readonly writer: SchemaSide,
    readonly reader: SchemaSide,
    readonly roles: Roles,
    private readonly state: PairState,
    private readonly flippedState: PairState,
    private readonly budget: Budget,
  ) {}

  static create(writer: SchemaSide, reader: SchemaSide, roles: Roles): DiffContext {
    const budget = { remaining: MAX_COMPARED_PAIRS, depth: 0 };
    return new DiffContext(writer, reader, roles, newState(), newState(), budget);
  }

  /** The context with writer and reader exchanged (for `not`, which reverses the direction). */
  swapped(): DiffContext {
    const roles = { reader: this.roles.writer, writer: this.roles.reader };
    const { reader, writer, flippedState, state, budget } = this;
    return new DiffContext(reader, writer, roles, flippedState, state, budget);
  }

  change(path: string, change: string, text: string): Finding {
    return { path, change, text };
  }

  /** The first finding as a parenthetical reason given at `at`, with its path relative to it. */
  reason(findings: readonly Finding[], at: string): string {
    const first = findings[0];
    if (!first) return '';
    return first.path === at ? first.text : `${first.text}, at …${first.path.slice(at.length)}`;
  }

  /** Findings of a pair compared before, moved to `path`; undefined when not compared yet. */
  recall(writer: SchemaNode, reader: SchemaNode, path: string): readonly Finding[] | undefined {
    if (typeof writer !== 'object' || typeof reader !== 'object') return undefined;
    const known = this.state.memo.get(writer)?.get(reader);
    if (!known) return undefined;
    if (known.path === path) return known.findings;
    return known.findings.map((f) => ({
      ...f,
      path: path + f.path.slice(known.path.length),
      origin: f.origin ?? f,
    }));
  }

  /** Keeps a pair's findings, once per origin and at most MAX_FINDINGS_PER_PAIR; returns them. */
  remember(
    writer: SchemaNode,
    reader: SchemaNode,
    path: string,
    findings: readonly Finding[],
  ): Finding[] {
    const origins = new Set<Finding>();
    const kept: Finding[] = [];
    for (const finding of findings) {
      const origin = finding.origin ?? finding;
      if (origins.has(origin)) continue;
      origins.add(origin);
      kept.push(finding);
      if (kept.length === MAX_FINDINGS_PER_PAIR) break;
    }
    if (typeof writer === 'object' && typeof reader === 'object') {
      pairGet(this.state.memo, writer).set(reader, { path, findings: kept });
    }
    return kept;
  }

  /**
   * Marks a pair as being compared; false when it already is. A pair met again inside itself
   * is a recursive schema and is taken as compatible there: any real difference shows up at
   * the first level of the recursion. Throws ComparisonTooComplex past the budget.
   */
  enter(writer: SchemaNode, reader: SchemaNode): boolean {
    if (typeof writer === 'object' && typeof reader === 'object') {
      const readers = pairGet(this.state.active, writer);
      if (readers.has(reader)) return false;
      readers.set(reader, true);
    }
    this.budget.depth++;
    if (--this.budget.remaining < 0 || this.budget.depth > MAX_NESTING) {
      throw new ComparisonTooComplex();
    }
    return true;
  }

  /** Ends what `enter` began; call it in a `finally`. */
  leave(writer: SchemaNode, reader: SchemaNode): void {
    this.budget.depth--;
    if (typeof writer === 'object' && typeof reader === 'object') {
      this.state.active.get(writer)?.delete(reader);
    }
  }
}

function pairGet<T>(map: PairMap<T>, key: object): Map<object, T> {
  let inner = map.get(key);
  if (!inner) map.set(key, (inner = new Map()));
  return inner;
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
