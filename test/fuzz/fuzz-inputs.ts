/**
 * Generators of hostile input for the fuzz test: random GraphQL token soup, valid documents
 * mutated at the character and token level, valid event data mutated at the JSON level, and
 * CloudEvents envelopes broken in every attribute. All driven by one seeded generator, so a
 * failing run can be replayed from its seed.
 */

/** A small seeded PRNG (mulberry32): the same seed gives the same cases. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

const PUNCTUATION = [
  '{',
  '}',
  '(',
  ')',
  '[',
  ']',
  ':',
  '!',
  '$',
  '@',
  '...',
  '=',
  '|',
  '&',
  ',',
  '"',
  '"""',
  '#',
];
const NAMES = [
  'query',
  'mutation',
  'subscription',
  'fragment',
  'on',
  'me',
  'name',
  'streams',
  'stream',
  'events',
  'publish',
  'publishJson',
  'publishBatch',
  'event',
  'type',
  'data',
  'id',
  'cursor',
  '__typename',
  '__schema',
  '__type',
  'types',
  'fields',
  'include',
  'skip',
  'if',
  'true',
  'false',
  'null',
  'createStream',
  'issueToken',
  'revokeToken',
];
const WEIRD = [
  '\u0000',
  '\uFFFF',
  '\uD800',
  '😀',
  '\\u0041',
  '\\',
  '\r\n',
  '\t',
  'ℵ',
  '\u202E',
  '9'.repeat(400),
  '-0.0e-999',
];

/** A random sequence of GraphQL-ish tokens. */
export function tokenSoup(random: Random): string {
  const length = 1 + random.int(random.chance(0.1) ? 2000 : 60);
  const parts: string[] = [];
  for (let i = 0; i < length; i++) {
    const roll = random.next();
    if (roll < 0.4) parts.push(random.pick(PUNCTUATION));
    else if (roll < 0.8) parts.push(random.pick(NAMES));
    else if (roll < 0.9) parts.push(JSON.stringify(random.pick(WEIRD)));
    else parts.push(String(random.next() * 10 ** random.int(30)));
  }
  return parts.join(random.chance(0.5) ? ' ' : '');
}

/** A valid document damaged at the character or token level. */
export function mutateDocument(random: Random, document: string): string {
  let text = document;
  const rounds = 1 + random.int(4);
  for (let round = 0; round < rounds; round++) {
    const at = random.int(text.length + 1);
    const to = Math.min(text.length, at + random.int(40));
    switch (random.int(9)) {
      case 0: // delete a slice
        text = text.slice(0, at) + text.slice(to);
        break;
      case 1: // duplicate a slice, a few times
        text =
          text.slice(0, to) +
          text.slice(at, to).repeat(1 + random.int(random.chance(0.1) ? 500 : 3)) +
          text.slice(to);
        break;
      case 2: // insert a token
        text = `${text.slice(0, at)} ${random.pick([...PUNCTUATION, ...NAMES])} ${text.slice(at)}`;
        break;
      case 3: // replace a character
        text = text.slice(0, at) + random.pick(WEIRD).slice(0, 2) + text.slice(at + 1);
        break;
      case 4: // nest the selection deeper
        text = text
          .replace(/\{/, `{ ${'me { grants { '.repeat(1 + random.int(12))}`)
          .concat(' }}'.repeat(1 + random.int(12)));
        break;
      case 5: // many aliases of one field
        text = text.replace(
          /\{/,
          `{ ${Array.from({ length: random.int(80) }, (_, i) => `a${i}: __typename`).join(' ')} `,
        );
        break;
      case 6: // directives
        text = text.replace(
          /(\w+)(\s*[{(])/,
          `$1${' @include(if: true)'.repeat(random.int(70))}$2`,
        );
        break;
      case 7: // rename a name
        text = text.replace(/\b[a-zA-Z_]\w*\b/, random.pick(NAMES));
        break;
      case 8: // cut it short
        text = text.slice(0, at);
        break;
    }
  }
  return text;
}

/** Valid JSON damaged at the value level: types, keys, sizes, depth, strings. */
export function mutateJson(random: Random, value: unknown, depth = 0): unknown {
  if (depth > 6 || random.chance(0.15)) return randomJson(random, 0);
  if (Array.isArray(value))
    return value.map((item) => (random.chance(0.3) ? mutateJson(random, item, depth + 1) : item));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    for (const key of Object.keys(copy)) {
      const roll = random.next();
      if (roll < 0.1) delete copy[key];
      else if (roll < 0.3) copy[key] = mutateJson(random, copy[key], depth + 1);
    }
    if (random.chance(0.2))
      copy[random.pick(['__proto__', 'constructor', 'extra', '', 'ä', 'id'])] = randomJson(
        random,
        0,
      );
    return copy;
  }
  return randomJson(random, 0);
}

/** Any JSON value, sometimes large or deep. */
export function randomJson(random: Random, depth: number): unknown {
  const roll = random.int(depth > 3 ? 6 : 9);
  switch (roll) {
    case 0:
      return null;
    case 1:
      return random.chance(0.5);
    case 2:
      return random.pick([0, -1, 1.5, 2 ** 53 + 1, -1e308, 1e-320, 42]);
    case 3:
      return random.pick(WEIRD);
    case 4:
      return 'x'.repeat(random.int(random.chance(0.05) ? 300_000 : 50));
    case 5:
      return random.pick([
        'us',
        'eu',
        '2025-03-14T09:26:53Z',
        'not-a-date',
        '01234567-89ab-cdef-0123-456789abcdef',
        'ünïcödé',
      ]);
    case 6:
      return Array.from({ length: random.int(5) }, () => randomJson(random, depth + 1));
    case 7:
      return Object.fromEntries(
        Array.from({ length: random.int(5) }, (_, i) => [`k${i}`, randomJson(random, depth + 1)]),
      );
    default: {
      // Deeply nested: JSON parsers and validators must not recurse without bound.
      const levels = random.int(random.chance(0.2) ? 1000 : 50);
      return JSON.parse(`${'['.repeat(levels)}1${']'.repeat(levels)}`);
    }
  }
}

/** Body bytes that are not what the content type says. */
export function brokenBody(random: Random, valid: string): string {
  switch (random.int(5)) {
    case 0:
      return valid.slice(0, random.int(valid.length));
    case 1:
      return valid.replace(/"/, "'");
    case 2:
      return `${valid}${valid}`;
    case 3:
      return Array.from({ length: random.int(300) }, () =>
        String.fromCharCode(random.int(0xffff)),
      ).join('');
    default:
      return '['.repeat(random.int(100_000));
  }
}

/**
 * JSON text with a value nested `levels` deep in place of `"__DEEP__"`: built as text, since
 * the client's own JSON.stringify would overflow its stack long before the server's parsers.
 */
export function withDeepValue(json: string, levels: number): string {
  return json.replace('"__DEEP__"', `${'['.repeat(levels)}${']'.repeat(levels)}`);
}
