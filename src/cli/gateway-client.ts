import { isErrorCode, type ErrorCode } from '../errors.js';

/** Where the gateway is and who is calling: `--url`/`STREAMGATE_URL`, `--token`/`STREAMGATE_TOKEN`. */
export interface GatewayTarget {
  /** `http(s)://host:port`, without a path. */
  readonly url: string;
  readonly token: string | undefined;
}

/**
 * A failure the command reports as `CODE: message` and exits on. `code` is the contract's code
 * when the gateway gave one; UNAVAILABLE when it could not be reached.
 */
export class CliError extends Error {
  constructor(
    readonly code: ErrorCode | 'USAGE',
    message: string,
    /** The GraphQL error's other extensions (`errors` of VALIDATION_FAILED, `index` in a batch). */
    readonly extensions: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = 'CliError';
  }
}

interface GraphqlError {
  readonly message: string;
  readonly path?: readonly (string | number)[];
  readonly extensions?: Record<string, unknown>;
}

/** The error a GraphQL error list stands for: the first error's code and message. */
export function cliErrorFromGraphql(errors: readonly GraphqlError[]): CliError {
  const [first] = errors;
  const code = first?.extensions?.['code'];
  const { code: _code, http: _http, ...extensions } = first?.extensions ?? {};
  return new CliError(
    isErrorCode(code) ? code : 'BAD_USER_INPUT',
    first?.message ?? 'the gateway answered with an error',
    extensions,
  );
}

/** The WebSocket URL of the gateway's GraphQL endpoint. */
export function webSocketUrl(target: GatewayTarget): string {
  const url = new URL('/graphql', target.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.href;
}

function requireToken(target: GatewayTarget): string {
  if (!target.token) {
    throw new CliError(
      'UNAUTHENTICATED',
      'no token: pass --token or set STREAMGATE_TOKEN (the admin token is in ./data/admin-token)',
    );
  }
  return target.token;
}

/** Runs one GraphQL query or mutation over HTTP; throws a CliError for any error. */
export async function graphqlRequest<T>(
  target: GatewayTarget,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const token = requireToken(target);
  let response: Response;
  try {
    response = await fetch(new URL('/graphql', target.url), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (error) {
    throw unreachable(target, error);
  }
  const text = await response.text();
  let body: { data?: T | null; errors?: GraphqlError[] };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    throw new CliError(
      'UNAVAILABLE',
      `${target.url} answered ${response.status} with no GraphQL response: is it a Streamgate gateway?`,
    );
  }
  if (body.errors?.length) throw cliErrorFromGraphql(body.errors);
  if (body.data == null) throw new CliError('UNAVAILABLE', 'the gateway answered with no data');
  return body.data;
}

/** UNAVAILABLE, naming the address and the network's reason. */
export function unreachable(target: GatewayTarget, error: unknown): CliError {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (error as Error).message;
  return new CliError('UNAVAILABLE', `cannot reach the gateway at ${target.url} (${reason})`);
}

/** The `Authorization` value for the target, for graphql-ws `connectionParams`. */
export function authorization(target: GatewayTarget): string {
  return `Bearer ${requireToken(target)}`;
}
