import { Operations, type Grant, type Principal } from '../auth/grants.js';
import type { IssuedToken } from '../auth/token-service.js';
import { gatewayError } from '../errors.js';
import type { Builder } from './builder.js';

/** me, issueToken, revokeToken and their types. */
export function addTokenFields(builder: Builder): void {
  const Operation = builder.enumType('Operation', { values: Operations });
  const GrantRef = builder.objectRef<Grant>('Grant').implement({
    fields: (t) => ({
      stream: t.exposeString('stream', {
        description: "A stream name, or a prefix ending in '*'.",
      }),
      operations: t.field({ type: [Operation], resolve: (g) => [...g.operations] }),
      types: t.stringList({ nullable: true, resolve: (g) => (g.types ? [...g.types] : null) }),
    }),
  });
  const PrincipalRef = builder.objectRef<Principal>('Principal').implement({
    description: 'Who the token is and what it may do.',
    fields: (t) => ({
      tokenId: t.id({ nullable: true, resolve: (p) => p.tokenId }),
      name: t.exposeString('name'),
      admin: t.exposeBoolean('admin'),
      tenant: t.exposeString('tenant', { nullable: true }),
      expiresAt: t.field({ type: 'DateTime', nullable: true, resolve: (p) => p.expiresAt }),
      grants: t.field({ type: [GrantRef], resolve: (p) => [...p.grants] }),
      publishPerSecond: t.float({ resolve: (p) => p.limits.publishPerSecond }),
      maxSubscriptions: t.int({ resolve: (p) => p.limits.maxSubscriptions }),
    }),
  });
  const IssuedTokenRef = builder.objectRef<IssuedToken>('IssuedToken').implement({
    fields: (t) => ({
      id: t.exposeID('id'),
      token: t.exposeString('token', {
        description: 'Shown this once; only a hash of it is kept.',
      }),
      name: t.exposeString('name'),
    }),
  });
  const GrantInput = builder.inputType('GrantInput', {
    fields: (t) => ({
      stream: t.string({
        required: true,
        description: "A stream name, or a prefix ending in '*'.",
      }),
      operations: t.field({ type: [Operation], required: true }),
      types: t.stringList({ description: "Only these event types (or prefixes ending in '*')." }),
    }),
  });
  const IssueTokenInput = builder.inputType('IssueTokenInput', {
    fields: (t) => ({
      name: t.string({ required: true }),
      tenant: t.string({
        description: "A public consumer's tenant: it sees and writes only its own events.",
      }),
      grants: t.field({ type: [GrantInput], required: true }),
      expiresAt: t.field({ type: 'DateTime' }),
      publishPerSecond: t.float({ description: 'Events per second it may publish. Default 1000.' }),
      maxSubscriptions: t.int({
        description: 'Subscriptions it may hold open per instance. Default 100.',
      }),
    }),
  });

  builder.queryFields((t) => ({
    me: t.field({ type: PrincipalRef, resolve: (_root, _args, { principal }) => principal }),
  }));
  builder.mutationFields((t) => ({
    issueToken: t.field({
      type: IssuedTokenRef,
      description: 'Issues a token whose grants lie within the caller’s own MANAGE grants.',
      args: { input: t.arg({ type: IssueTokenInput, required: true }) },
      resolve: (_root, { input }, { principal, services }) =>
        services.tokens.issue(principal, {
          name: input.name,
          tenant: input.tenant,
          grants: input.grants.map((g) => ({
            stream: g.stream,
            operations: g.operations,
            ...(g.types ? { types: g.types } : {}),
          })),
          expiresAt: input.expiresAt,
          limits: {
            publishPerSecond: input.publishPerSecond,
            maxSubscriptions: input.maxSubscriptions,
          },
        }),
    }),
    authenticate: t.field({
      type: PrincipalRef,
      description:
        'Over a WebSocket: replaces the connection’s token without reconnecting. Subscriptions ' +
        'the new token still grants go on with no gap; the others end with FORBIDDEN. An invalid ' +
        'token changes nothing. Over HTTP, send the token in the Authorization header instead.',
      args: { token: t.arg.string({ required: true }) },
      resolve: (_root, { token }, { tokenSession }) => {
        if (!tokenSession) {
          throw gatewayError(
            'BAD_USER_INPUT',
            'authenticate renews the token of a WebSocket connection; over HTTP, send the ' +
              'token in the Authorization header of each request',
          );
        }
        return tokenSession.renew(/^bearer\s/i.test(token) ? token : `Bearer ${token}`);
      },
    }),
    revokeToken: t.boolean({
      description: 'Revokes a token at once, on every instance; its subscriptions end.',
      args: { id: t.arg.id({ required: true }) },
      resolve: (_root, { id }, { principal, services }) =>
        services.tokens.revoke(principal, String(id)),
    }),
  }));
}
