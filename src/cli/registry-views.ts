import { CliError, graphqlRequest, type GatewayTarget } from './gateway-client.js';
import { table, type Output } from './output.js';

interface StreamView {
  readonly name: string;
  readonly partitions: number;
  readonly retentionHours: number | null;
  readonly description: string | null;
  readonly eventTypes: readonly { readonly type: string }[];
}

interface EventTypeView {
  readonly type: string;
  readonly stream: string;
  readonly version: number;
  readonly compatibility: string;
  readonly graphqlType: string;
  readonly description: string | null;
}

const TYPE_FIELDS = 'type stream version compatibility graphqlType description';

/** `streamgate streams`: the streams the token may see. */
export async function listStreams(target: GatewayTarget, output: Output): Promise<void> {
  const { streams } = await graphqlRequest<{ streams: StreamView[] }>(
    target,
    '{ streams { name partitions retentionHours description eventTypes { type } } }',
  );
  const sorted = [...streams].sort((a, b) => a.name.localeCompare(b.name));
  if (!output.terminal) {
    for (const s of sorted) output.json({ ...s, eventTypes: s.eventTypes.map((t) => t.type) });
    return;
  }
  if (sorted.length === 0) return output.note('This token may see no stream.');
  const rows = sorted.map((s) => [
    s.name,
    String(s.partitions),
    s.retentionHours === null ? 'forever' : `${s.retentionHours} h`,
    String(s.eventTypes.length),
    s.description ?? '',
  ]);
  for (const line of table(output, [
    ['STREAM', 'PARTITIONS', 'RETENTION', 'TYPES', 'DESCRIPTION'],
    ...rows,
  ]))
    output.line(line);
}

/** `streamgate types [<stream>]`: the event types the token may see, of one stream or all. */
export async function listTypes(
  target: GatewayTarget,
  stream: string | undefined,
  output: Output,
): Promise<void> {
  let types: EventTypeView[];
  if (stream === undefined) {
    const data = await graphqlRequest<{ streams: { eventTypes: EventTypeView[] }[] }>(
      target,
      `{ streams { eventTypes { ${TYPE_FIELDS} } } }`,
    );
    types = data.streams.flatMap((s) => s.eventTypes);
  } else {
    const data = await graphqlRequest<{ stream: { eventTypes: EventTypeView[] } | null }>(
      target,
      `query ($name: String!) { stream(name: $name) { eventTypes { ${TYPE_FIELDS} } } }`,
      { name: stream },
    );
    if (!data.stream) {
      throw new CliError(
        'NOT_FOUND',
        `stream "${stream}" does not exist or this token may not see it`,
      );
    }
    types = data.stream.eventTypes;
  }
  types.sort((a, b) => a.stream.localeCompare(b.stream) || a.type.localeCompare(b.type));
  if (!output.terminal) {
    for (const t of types) output.json(t);
    return;
  }
  if (types.length === 0) return output.note('No event types to show.');
  const rows = types.map((t) => [
    t.type,
    t.stream,
    `v${t.version}`,
    t.compatibility,
    t.graphqlType,
    t.description ?? '',
  ]);
  for (const line of table(output, [
    ['TYPE', 'STREAM', 'VERSION', 'COMPATIBILITY', 'GRAPHQL', 'DESCRIPTION'],
    ...rows,
  ]))
    output.line(line);
}
