import type { PublishedEvent, PublishRequest } from '../publish/publish-service.js';
import { inputToData } from '../registry/graphql-model/input-to-data.js';
import type { Builder } from './builder.js';
import type { GatewayContext } from './context.js';
import type { EventTypeGraphqlModel } from '../registry/graphql-model/model-types.js';
import { cursorOf } from './event-types.js';

interface PublishResultNode extends PublishedEvent {
  readonly publishedAt: number;
}

/**
 * publishJson and publishBatch, their input and PublishResult. The typed `publish` and its
 * `PublishInput` change with the registry: schema-assembler.ts adds them (publishTyped).
 */
export function addPublishFields(builder: Builder): void {
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
      warnings: t.stringList({
        description: 'What the publisher should know, e.g. that its event type is deprecated.',
        resolve: (r) => [...(r.warnings ?? [])],
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

  builder.mutationFields((t) => ({
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

/** The typed `publish`: `value` is the one field set of `PublishInput`, of `model`'s event type. */
export async function publishTyped(
  context: GatewayContext,
  model: EventTypeGraphqlModel,
  value: Record<string, unknown>,
): Promise<PublishResultNode> {
  const { data, ...envelope } = value;
  const [result] = await publish(context, [
    {
      ...(envelope as Omit<PublishRequest, 'type' | 'data'>),
      type: model.type,
      data: inputToData(model, data),
    },
  ]);
  return result!;
}

async function publish(
  context: GatewayContext,
  requests: PublishRequest[],
): Promise<PublishResultNode[]> {
  const publishedAt = Date.now();
  const results = await context.services.publishing.publish(context.principal, requests);
  return results.map((r) => ({ ...r, publishedAt }));
}
