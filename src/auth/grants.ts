import { z } from 'zod';
import { gatewayError } from '../errors.js';
import { patternMatches, patternProblem, patternWithin } from './grant-pattern.js';
import type { RateLimits } from './rate-limit.js';

export const Operations = ['PUBLISH', 'SUBSCRIBE', 'MANAGE'] as const;
export type Operation = (typeof Operations)[number];

/** What a token may do on the streams a pattern names (shared/API.md `GrantInput`). */
export interface Grant {
  /** A stream name, or a prefix ending in '*'. */
  readonly stream: string;
  /** Never empty, no duplicates. */
  readonly operations: readonly Operation[];
  /** Only these event types (names or prefixes ending in '*'); absent: every type. Never empty. */
  readonly types?: readonly string[];
}

/**
 * Who is calling, as decided once per operation at the edge. It never holds the token's
 * secret or its hash, so logging or serializing it leaks nothing.
 */
export interface Principal {
  /** Null for the admin token. */
  readonly tokenId: string | null;
  readonly name: string;
  readonly admin: boolean;
  /** A public consumer's tenant: its events are scoped to it. Null: not a tenant token. */
  readonly tenant: string | null;
  readonly grants: readonly Grant[];
  /** RFC 3339; null: never expires. */
  readonly expiresAt: string | null;
  readonly limits: RateLimits;
}

/** Keeps every per-request check cheap: `can` is linear in grants × types. */
/** The suffix of a stream's dead-letter stream. */
const DEAD_LETTER_SUFFIX = '.dead-letter';

export const MAX_GRANTS = 100;
export const MAX_TYPES_PER_GRANT = 100;

const patternSchema = z.string().superRefine((value, context) => {
  const problem = patternProblem(value);
  if (problem) context.addIssue({ code: 'custom', message: problem });
});

/** One grant, as accepted from `GrantInput` or read back from a token record. */
export const grantSchema = z
  .object({
    stream: patternSchema,
    operations: z.array(z.enum(Operations)).min(1, 'must list at least one operation'),
    types: z
      .array(patternSchema)
      .min(1, 'must not be empty (omit it to allow every type)')
      .max(MAX_TYPES_PER_GRANT)
      .nullish(),
  })
  .transform((input): Grant => {
    const operations = Object.freeze([...new Set(input.operations)]);
    if (input.types == null) return Object.freeze({ stream: input.stream, operations });
    const types = Object.freeze([...new Set(input.types)]);
    return Object.freeze({ stream: input.stream, operations, types });
  });

export const grantsSchema = z.array(grantSchema).max(MAX_GRANTS);

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join('');
}

/** Validates grants (shape and patterns); throws BAD_USER_INPUT naming every problem. */
export function parseGrants(input: unknown): Grant[] {
  const result = grantsSchema.safeParse(input);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `grants${issuePath(issue.path)}: ${issue.message}`,
  );
  throw gatewayError('BAD_USER_INPUT', `Invalid grants: ${problems.join('; ')}`, { problems });
}

function grantsFor(principal: Principal, op: Operation, stream: string): Grant[] {
  // A dead-letter stream has the grants of its stream (shared/API.md, consumer groups).
  const base = stream.endsWith(DEAD_LETTER_SUFFIX)
    ? stream.slice(0, -DEAD_LETTER_SUFFIX.length)
    : undefined;
  return principal.grants.filter(
    (grant) =>
      grant.operations.includes(op) &&
      (patternMatches(grant.stream, stream) ||
        (base !== undefined && patternMatches(grant.stream, base))),
  );
}

/**
 * May the principal do `op` on `stream` (and, when given, on events of `type`)? Without a type,
 * a type-restricted grant is enough; the subscription then filters with `typesAllowed`.
 */
export function can(principal: Principal, op: Operation, stream: string, type?: string): boolean {
  if (principal.admin) return true;
  return grantsFor(principal, op, stream).some(
    (grant) =>
      type === undefined ||
      grant.types === undefined ||
      grant.types.some((pattern) => patternMatches(pattern, type)),
  );
}

/**
 * The type patterns the principal may `op` on `stream`: undefined for every type, else the
 * union over the matching grants (an empty list when no grant matches at all).
 */
export function typesAllowed(
  principal: Principal,
  op: Operation,
  stream: string,
): readonly string[] | undefined {
  if (principal.admin) return undefined;
  const patterns = new Set<string>();
  for (const grant of grantsFor(principal, op, stream)) {
    if (grant.types === undefined) return undefined;
    for (const pattern of grant.types) patterns.add(pattern);
  }
  return [...patterns];
}

/**
 * What the requested grants would give beyond the issuer's own, as readable violations (empty
 * when all lie within). Each requested stream pattern must lie within a pattern the issuer may
 * MANAGE, and each requested operation must be held by the issuer on that whole pattern, for
 * the requested types or wider.
 */
export function grantsWithin(issuer: Principal, requested: readonly Grant[]): string[] {
  if (issuer.admin) return [];
  const violations: string[] = [];
  requested.forEach((grant, index) => {
    const at = `grants[${index}] on '${grant.stream}'`;
    const covering = issuer.grants.filter((own) => patternWithin(grant.stream, own.stream));
    if (!covering.some((own) => own.operations.includes('MANAGE'))) {
      violations.push(`${at}: not within a stream pattern the issuer may MANAGE`);
      return;
    }
    for (const op of grant.operations) {
      const held = covering.filter((own) => own.operations.includes(op));
      if (held.length === 0) {
        violations.push(`${at}: the issuer may not ${op} there`);
        continue;
      }
      if (held.some((own) => own.types === undefined)) continue;
      const issuerTypes = [...new Set(held.flatMap((own) => own.types ?? []))];
      if (grant.types === undefined) {
        violations.push(`${at}: ${op} on every type, the issuer only on ${issuerTypes.join(', ')}`);
        continue;
      }
      const wider = grant.types.filter(
        (type) => !issuerTypes.some((pattern) => patternWithin(type, pattern)),
      );
      if (wider.length > 0) {
        violations.push(
          `${at}: ${op} on types ${wider.join(', ')}, the issuer only on ${issuerTypes.join(', ')}`,
        );
      }
    }
  });
  return violations;
}
