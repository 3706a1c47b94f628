import { Operations, type Operation } from '../auth/grants.js';
import { CliError, graphqlRequest, type GatewayTarget } from './gateway-client.js';
import type { Output } from './output.js';

export interface IssueOptions {
  readonly name: string;
  /** `--grant <stream>:<ops>[:<types>]`, repeatable. */
  readonly grants: readonly string[];
  readonly tenant?: string;
  /** `--expires`: an RFC 3339 time, or a duration from now (`30m`, `12h`, `7d`). */
  readonly expires?: string;
}

export interface GrantSpec {
  readonly stream: string;
  readonly operations: Operation[];
  readonly types?: string[];
}

/**
 * `team-a.*:publish,subscribe:order.*,invoice.paid` → a GrantInput. Operations are
 * comma-separated in any case; types, optional, are comma-separated names or prefixes.
 */
export function parseGrant(spec: string): GrantSpec {
  const [stream, ops, types, ...rest] = spec.split(':');
  if (!stream || !ops || rest.length > 0) {
    throw new CliError(
      'USAGE',
      `--grant takes <stream>:<operations>[:<types>], e.g. "platform:subscribe" or ` +
        `"team-a.*:publish,subscribe:order.*"; got "${spec}"`,
    );
  }
  const operations = ops.split(',').map((op) => {
    const upper = op.trim().toUpperCase();
    if (!(Operations as readonly string[]).includes(upper)) {
      throw new CliError(
        'USAGE',
        `unknown operation "${op}" in --grant "${spec}": use ${Operations.join(', ').toLowerCase()}`,
      );
    }
    return upper as Operation;
  });
  return types === undefined || types === ''
    ? { stream, operations }
    : { stream, operations, types: types.split(',').map((t) => t.trim()) };
}

/** `--expires`: an RFC 3339 time as is; `<n>m|h|d` from now. */
export function expiryTime(expires: string, now: number = Date.now()): string {
  const duration = /^(\d+)\s*([mhd])$/.exec(expires.trim());
  if (!duration) return expires;
  const unit = { m: 60_000, h: 3_600_000, d: 86_400_000 }[duration[2] as 'm' | 'h' | 'd'];
  return new Date(now + Number(duration[1]) * unit).toISOString();
}

/** `streamgate token issue`: prints the new token, which is shown this once. */
export async function issueToken(
  target: GatewayTarget,
  options: IssueOptions,
  output: Output,
): Promise<void> {
  if (options.grants.length === 0) {
    throw new CliError('USAGE', 'give at least one --grant <stream>:<operations>[:<types>]');
  }
  const input = {
    name: options.name,
    grants: options.grants.map(parseGrant),
    ...(options.tenant === undefined ? {} : { tenant: options.tenant }),
    ...(options.expires === undefined ? {} : { expiresAt: expiryTime(options.expires) }),
  };
  const { issueToken: issued } = await graphqlRequest<{
    issueToken: { id: string; name: string; token: string };
  }>(
    target,
    'mutation ($input: IssueTokenInput!) { issueToken(input: $input) { id name token } }',
    { input },
  );
  if (!output.terminal) return output.json(issued);
  output.line(
    `${output.paint('green', 'issued')} token ${output.paint('bold', issued.id)} (${issued.name})`,
  );
  output.line(output.paint('gray', 'The token, shown this once (only its hash is kept):'));
  output.line(`  ${output.paint(['bold', 'yellow'], issued.token)}`);
}

/** `streamgate token revoke <id>`. */
export async function revokeToken(
  target: GatewayTarget,
  id: string,
  output: Output,
): Promise<void> {
  const { revokeToken: revoked } = await graphqlRequest<{ revokeToken: boolean }>(
    target,
    'mutation ($id: ID!) { revokeToken(id: $id) }',
    { id },
  );
  if (!output.terminal) return output.json({ id, revoked });
  output.line(
    revoked
      ? `${output.paint('green', 'revoked')} token ${id}: its subscriptions ended on every instance`
      : `token ${id} was already revoked`,
  );
}
