import { can, typesAllowed } from '../auth/grants.js';
import { gatewayError } from '../errors.js';
import {
  checkCursorRetained,
  decodeCursor,
  resumeStart,
  type Positions,
} from '../events/cursor.js';
import type { StoredEvent } from '../events/envelope.js';
import { compileFilter, type EventFilterInput } from '../events/filter.js';
import { parseRfc3339 } from '../events/rfc3339.js';
import type { FanoutSubscription } from '../fanout/fanout.js';
import type { ItemMapper, MappableSubscription } from '../fanout/delivery.js';
import type { SubscriptionEndListener, SubscriptionItem } from '../fanout/subscriber.js';
import type { PartitionOffsets } from '../log/event-log.js';
import type { GatewayContext } from './context.js';
import type { ResumePoint } from './result-positions.js';
import { endOnStreamDeletion } from './stream-watch.js';

export interface StartPositionInput {
  readonly latest?: boolean | null;
  readonly earliest?: boolean | null;
  readonly after?: string | null;
  readonly time?: string | null;
}

export interface EventsArgs {
  readonly streams: readonly string[];
  readonly filter?: EventFilterInput | null;
  readonly from?: StartPositionInput | null;
}

/** Streams one subscription may read at once. */
export const MAX_SUBSCRIPTION_STREAMS = 10;

/**
 * Opens the `events` subscription: checks the streams and grants, compiles the filter with the
 * token's scope ANDed in, resolves the start position, and hands back the fan-out's iterator.
 * Every check happens here, before anything is read, so errors reach the client as GraphQL errors.
 */
export async function openEventSubscription(
  context: GatewayContext,
  args: EventsArgs,
): Promise<MappableSubscription<StoredEvent>> {
  const { principal, services } = context;
  const streams = [...new Set(args.streams)];
  if (streams.length === 0)
    throw gatewayError('BAD_USER_INPUT', 'streams must name at least one stream');
  if (streams.length > MAX_SUBSCRIPTION_STREAMS) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `a subscription reads at most ${MAX_SUBSCRIPTION_STREAMS} streams`,
    );
  }
  for (const stream of streams) {
    if (!services.registry.state.streams.has(stream)) {
      // Without SUBSCRIBE on the name, an unknown stream looks the same as a forbidden one.
      if (!can(principal, 'SUBSCRIBE', stream)) throw forbidden(stream);
      throw gatewayError('NOT_FOUND', `stream "${stream}" does not exist`);
    }
    if (!can(principal, 'SUBSCRIBE', stream)) throw forbidden(stream);
  }
  const test = compileScopedFilter(context, streams, args.filter);
  // A browser's EventSource reconnects with the id of the last message it got: go on right
  // after it, whatever `from` the operation says (shared/API.md, Resuming).
  const from = context.lastEventId ? { after: context.lastEventId } : (args.from ?? {});
  const start = await startPositions(context, streams, from);

  const subscription = new EventSubscription(context.signal, context.resumePoint);
  const iterator = services.fanout.subscribe({
    start,
    filter: test,
    // Catch-ups take turns per token: one token's many resumes cannot hold up everyone else's.
    owner: principal.tokenId ?? 'admin',
    onEnd: subscription,
  });
  subscription.open(iterator, context, streams);
  return subscription;
}

/**
 * The `events` subscription as the execution pulls it: the fan-out's subscription, counted for
 * its token, ended when a stream is deleted or the connection goes, and telling the resume
 * point (SSE) where it stands. A class, not closures: it lives as long as the subscription, and
 * under tsx (keepNames) every named closure carries a property table of its own.
 */
class EventSubscription implements MappableSubscription<StoredEvent>, SubscriptionEndListener {
  private iterator!: FanoutSubscription<StoredEvent>;
  private release: (() => void) | undefined;
  private unwatch: (() => void) | undefined;
  private ended = false;

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly resumePoint: ResumePoint | undefined,
  ) {}

  /** Counts and watches the fan-out subscription; refused, it ends it and throws. */
  open(
    iterator: FanoutSubscription<StoredEvent>,
    { principal, services }: GatewayContext,
    streams: readonly string[],
  ): void {
    this.iterator = iterator;
    // Ended already (the fan-out is closing): there is nothing to count or watch.
    if (this.ended) return;
    try {
      this.release = services.subscriptions.open(principal, iterator);
    } catch (error) {
      // The token holds as many subscriptions as it may: nothing stays subscribed.
      void iterator.return();
      throw error;
    }
    this.unwatch = endOnStreamDeletion(services.registry, streams, iterator);
    this.signal?.addEventListener('abort', this, { once: true });
  }

  /** The connection went away (its abort signal fired). */
  handleEvent(): void {
    this.iterator.end();
  }

  next(): Promise<IteratorResult<SubscriptionItem<StoredEvent>>> {
    // Over graphql-ws, nothing to do per item: the consumer takes the fan-out's own promise.
    if (!this.resumePoint) return this.iterator.next();
    return this.iterator.next().then((result) => {
      if (!result.done) this.resumePoint!.positions = result.value.positions;
      return result;
    });
  }

  nextMapped<R>(mapper: ItemMapper<StoredEvent, R>): Promise<IteratorResult<R>> {
    if (!this.resumePoint) return this.iterator.nextMapped(mapper);
    return this.next().then((result) =>
      result.done ? mapper.mapEnd() : mapper.mapItem(result.value),
    );
  }

  return(): Promise<IteratorResult<SubscriptionItem<StoredEvent>>> {
    return this.iterator.return();
  }

  throw(error: unknown): Promise<IteratorResult<SubscriptionItem<StoredEvent>>> {
    return this.iterator.throw(error);
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /** The fan-out subscription ended: stop counting and watching it. */
  subscriptionEnded(): void {
    this.ended = true;
    this.release?.();
    this.unwatch?.();
    this.release = this.unwatch = undefined;
    this.signal?.removeEventListener('abort', this);
  }
}

function forbidden(stream: string) {
  return gatewayError('FORBIDDEN', `this token may not subscribe to stream "${stream}"`);
}

/** The client's filter with the token's tenant and per-stream type grants ANDed in. */
export function compileScopedFilter(
  { principal, services }: GatewayContext,
  streams: readonly string[],
  filter: EventFilterInput | null | undefined,
): (event: StoredEvent) => boolean {
  const perStream = new Map(streams.map((s) => [s, typesAllowed(principal, 'SUBSCRIBE', s)]));
  const uniform = new Set([...perStream.values()].map((types) => JSON.stringify(types ?? null)));
  if (uniform.size === 1) {
    return compileFilter(
      filter,
      { tenant: principal.tenant, allowedTypes: perStream.get(streams[0]!) },
      services.filterLimits,
    );
  }
  // Streams granted with different type lists: one compiled filter per stream.
  const tests = new Map(
    streams.map((s) => [
      s,
      compileFilter(
        filter,
        { tenant: principal.tenant, allowedTypes: perStream.get(s) },
        services.filterLimits,
      ),
    ]),
  );
  return (event) => tests.get(event.stream)?.(event) ?? false;
}

async function startPositions(
  { services }: GatewayContext,
  streams: readonly string[],
  from: StartPositionInput,
): Promise<Positions> {
  const given = (['latest', 'earliest', 'after', 'time'] as const).filter(
    (k) => from[k] != null && from[k] !== false,
  );
  if (given.length > 1) {
    throw gatewayError(
      'BAD_USER_INPUT',
      `from takes exactly one of latest, earliest, after, time; got ${given.join(', ')}`,
    );
  }
  const { log, fanout } = services;
  // Shared by concurrent resumes and reused for a second: a reconnect storm asks the log once.
  const watermarks = async () =>
    new Map<string, PartitionOffsets[]>(
      await Promise.all(streams.map(async (s) => [s, await fanout.watermarks(s)] as const)),
    );

  if (from.after != null) {
    const positions = decodeCursor(from.after, streams);
    // Within the hot windows (every recent resume): no look-up, the records are in memory.
    const held = (s: string) => {
      const offsets = positions.get(s);
      return offsets !== undefined && fanout.heldInMemory(s, offsets);
    };
    if (streams.every(held)) return resumeStart(streams, positions, new Map());
    let marks = await watermarks();
    try {
      checkCursorRetained(positions, marks);
    } catch {
      // The shared watermarks may be up to a second old: a cursor made since (the answer to a
      // publish a moment ago) can lie past them. Only the log's word now refuses a cursor.
      marks = new Map(
        await Promise.all(streams.map(async (s) => [s, await log.offsets(s)] as const)),
      );
      checkCursorRetained(positions, marks);
    }
    return resumeStart(streams, positions, marks);
  }
  if (from.earliest) {
    const marks = await watermarks();
    return new Map(
      streams.map((s) => [s, new Map(marks.get(s)!.map((p) => [p.partition, p.low]))]),
    );
  }
  if (from.time != null) {
    const time = parseRfc3339(from.time);
    if (time === undefined)
      throw gatewayError('BAD_USER_INPUT', 'from.time must be an RFC 3339 date-time');
    return new Map(
      await Promise.all(streams.map(async (s) => [s, await log.offsetsForTime(s, time)] as const)),
    );
  }
  return new Map(
    await Promise.all(
      // The tail's own positions, not a copy: they are replaced, never changed (tail-reader.ts),
      // and a subscriber never changes its start either.
      streams.map(async (s) => [s, await fanout.tailPositions(s)] as const),
    ),
  );
}
