import type { PublishedEvent, PublishRequest } from '../publish/publish-service.js';
import { inputToData } from '../registry/graphql-model/input-to-data.js';
import type { Builder } from './builder.js';
import type { GatewayContext } from './context.js';
import { cursorOf, type TypedPublishInput } from './event-types.js';

interface PublishResultNode extends PublishedEvent {
  readonly publishedAt: number;
}

/** publish (typed, @oneOf), publishJson and publishBatch, and their inputs and result. */
export function addPublishFields(builder: Builder, typed: readonly TypedPublishInput[]): void {
  const PublishResult = builder.objectRef<PublishResultNode>('PublishResult').implement({
    description: 'Where a published event landed.',
    fields: (t) => ({
      id: t.id({ resolve: (r) => r.id }),
      type: t.string({ resolve: (r) => r.type }),
      stream: t.string({ resolve: (r) => r.stream }),
      partition: t.int({ resolve: (r) => r.partition }),
      offset: t.string({ resolve: (r) => String(r.offset) }),
      cursor: t.string({
        description:
          'Subscribe with from: { after: cursor } to receive what comes after this event.',
        resolve: async (r, _args, { services }) =>
          cursorOf(
            await services.publishCursors.positions(r.stream, r.partition, r.offset, r.publishedAt),
          ),
      }),
    }),
  });

  const PublishJsonInput = builder.inputType('PublishJsonInput', {
    description: "An event of any registered type, validated against the type's JSON Schema.",
    fields: (t) => ({
      type: t.string({ required: true }),
      data: t.field({ type: 'JSON', required: true }),
      resourceId: t.id(),
      tenant: t.string(),
      id: t.id(),
      time: t.field({ type: 'DateTime' }),
      source: t.string(),
    }),
  });

  const byField = new Map(typed.map((entry) => [entry.model.publishFieldName, entry]));
  const PublishInput =
    typed.length === 0
      ? undefined
      : builder.inputType('PublishInput', {
          description: 'Exactly one field: the event to publish, typed by its registered schema.',
          isOneOf: true,
          fields: (t) =>
            Object.fromEntries(
              typed.map((entry) => [entry.model.publishFieldName, t.field({ type: entry.ref })]),
            ),
        });

  builder.mutationFields((t) => ({
    ...(PublishInput
      ? {
          publish: t.field({
            type: PublishResult,
            description: 'Typed publish: one field per registered event type, in camelCase.',
            args: { event: t.arg({ type: PublishInput, required: true }) },
            resolve: async (_root, { event }, context) => {
              const [field, value] = Object.entries(
                event as Record<string, Record<string, unknown>>,
              )[0]!;
              const { model } = byField.get(field)!;
              const { data, ...envelope } = value as Record<string, unknown>;
              const [result] = await publish(context, [
                {
                  ...(envelope as Omit<PublishRequest, 'type' | 'data'>),
                  type: model.type,
                  data: inputToData(model, data),
                },
              ]);
              return result!;
            },
          }),
        }
      : {}),
    publishJson: t.field({
      type: PublishResult,
      description:
        "Untyped publish, validated against the type's registered JSON Schema all the same.",
      args: { event: t.arg({ type: PublishJsonInput, required: true }) },
      resolve: async (_root, { event }, context) =>
        (await publish(context, [event as PublishRequest]))[0]!,
    }),
    publishBatch: t.field({
      type: [PublishResult],
      description: 'All events are validated first; if any fails, nothing is written.',
      args: { events: t.arg({ type: [PublishJsonInput], required: true }) },
      resolve: (_root, { events }, context) => publish(context, events as PublishRequest[]),
    }),
  }));
}

async function publish(
  context: GatewayContext,
  requests: PublishRequest[],
): Promise<PublishResultNode[]> {
  const publishedAt = Date.now();
  const results = await context.services.publishing.publish(context.principal, requests);
  return results.map((r) => ({ ...r, publishedAt }));
}
