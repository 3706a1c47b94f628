import { randomUUID } from 'node:crypto';
import type { Principal } from '../auth/grants.js';
import { can } from '../auth/grants.js';
import {
  createRateLimiter,
  defaultRateLimits,
  publishBucket,
  rateLimited,
} from '../auth/rate-limit.js';
import { gatewayError } from '../errors.js';
import { envelopeToRecord, type EventEnvelope } from '../events/envelope.js';
import type { Publisher } from '../events/publisher.js';
import type { AppendResult } from '../log/event-log.js';
import type { Registry } from '../registry/registry.js';
import { ValidatorCache } from '../registry/validators.js';

/** One event to publish, as publishJson, the typed publish and POST /events all give it. */

/** With the u flag a surrogate pair is one code point: this matches lone surrogates only. */
const LONE_SURROGATE = /\p{Cs}/u;
export interface PublishRequest {
  readonly type: string;
  readonly data: unknown;
  readonly resourceId?: string | null;
  readonly tenant?: string | null;
  readonly id?: string | null;
  /** RFC 3339, already checked by the caller's parser. */
  readonly time?: string | null;
  readonly source?: string | null;
}

export interface PublishedEvent extends AppendResult {
  readonly id: string;
  readonly type: string;
  readonly stream: string;
  /** E.g. that the event type is deprecated, and why. */
  readonly warnings?: readonly string[];
}

export interface PublishLimits {
  /** Bytes of one event's data. @default 1048576 */
  readonly maxEventBytes: number;
  /** Events in one batch. @default 500 */
  readonly maxBatchEvents: number;
  /** Bytes of one batch's data. @default 5242880 */
  readonly maxBatchBytes: number;
}

export const defaultPublishLimits: PublishLimits = Object.freeze({
  maxEventBytes: 1 << 20,
  maxBatchEvents: 500,
  maxBatchBytes: 5 << 20,
});

export interface PublishServiceOptions {
  readonly registry: Registry;
  readonly publisher: Publisher;
  /** @default defaultPublishLimits */
  readonly limits?: Partial<PublishLimits>;
}

export interface PublishService {
  /**
   * Checks every event (grant, registered type, schema, size, rate) before writing any; then
   * writes them all in one produce request. A rejected event writes nothing.
   */
  publish(principal: Principal, requests: readonly PublishRequest[]): Promise<PublishedEvent[]>;
}

export function createPublishService(options: PublishServiceOptions): PublishService {
  const { registry, publisher } = options;
  const limits: PublishLimits = { ...defaultPublishLimits, ...options.limits };
  const validators = new ValidatorCache();
  const rateLimiter = createRateLimiter(publishBucket(defaultRateLimits));

  return {
    async publish(principal, requests) {
      if (requests.length === 0) return [];
      if (requests.length > limits.maxBatchEvents) {
        throw gatewayError(
          'PAYLOAD_TOO_LARGE',
          `a batch holds at most ${limits.maxBatchEvents} events, got ${requests.length}`,
        );
      }
      const batch = requests.length > 1;
      let batchBytes = 0;
      const pending = requests.map((request, index) => {
        const where = batch ? ` (events[${index}])` : '';
        const eventType = registry.state.eventTypes.get(request.type);
        if (!eventType)
          throw gatewayError(
            'NOT_FOUND',
            `event type "${request.type}" is not registered${where}`,
            batch ? { index } : {},
          );
        if (!can(principal, 'PUBLISH', eventType.stream, request.type)) {
          throw gatewayError(
            'FORBIDDEN',
            `this token may not publish "${request.type}" on stream "${eventType.stream}"${where}`,
          );
        }
        if (
          principal.tenant !== null &&
          request.tenant != null &&
          request.tenant !== principal.tenant
        ) {
          throw gatewayError(
            'FORBIDDEN',
            `this token publishes for tenant "${principal.tenant}" only${where}`,
          );
        }
        // Kafka headers and keys are UTF-8: a lone surrogate would be stored as U+FFFD, so the
        // event would not keep the id (or subject) it was acknowledged with.
        for (const attribute of ['id', 'resourceId', 'source', 'tenant'] as const) {
          const text = request[attribute];
          if (typeof text === 'string' && LONE_SURROGATE.test(text)) {
            throw gatewayError(
              'BAD_USER_INPUT',
              `${attribute} is not well-formed Unicode (a lone surrogate)${where}`,
              batch ? { index } : {},
            );
          }
        }
        const value = JSON.stringify(request.data ?? null);
        const bytes = Buffer.byteLength(value);
        if (bytes > limits.maxEventBytes) {
          throw gatewayError(
            'PAYLOAD_TOO_LARGE',
            `event data is ${bytes} bytes, over the limit of ${limits.maxEventBytes}${where}`,
          );
        }
        batchBytes += bytes;
        const { version, validate } = validators.latest(eventType);
        const errors = validate(request.data);
        if (errors.length > 0) {
          throw gatewayError(
            'VALIDATION_FAILED',
            `data does not match the schema of "${request.type}" v${version}${where}: ${errors
              .slice(0, 5)
              .map((e) => `${e.path} ${e.message}`)
              .join('; ')}`,
            batch ? { errors, index } : { errors },
          );
        }
        const envelope: EventEnvelope = {
          id: request.id ?? randomUUID(),
          type: request.type,
          source: request.source ?? principal.name,
          time: request.time ?? new Date().toISOString(),
          subject: request.resourceId ?? null,
          tenant: principal.tenant ?? request.tenant ?? null,
          schemaVersion: version,
          data: request.data ?? null,
        };
        const warnings =
          eventType.deprecationReason === null
            ? undefined
            : [`event type "${request.type}" is deprecated: ${eventType.deprecationReason}`];
        return { stream: eventType.stream, envelope, dataJson: value, warnings };
      });
      if (batchBytes > limits.maxBatchBytes) {
        throw gatewayError(
          'PAYLOAD_TOO_LARGE',
          `the batch holds ${batchBytes} bytes of data, over the limit of ${limits.maxBatchBytes}`,
        );
      }
      if (!principal.admin) {
        const taken = rateLimiter.take(
          principal.tokenId ?? principal.name,
          requests.length,
          publishBucket(principal.limits),
        );
        if (!taken.ok) throw rateLimited(taken.retryAfterSeconds, 'publish rate limit exceeded');
      }
      const results = await publisher.append(
        pending.map(({ stream, envelope, dataJson }) => ({
          stream,
          record: envelopeToRecord(envelope, dataJson),
        })),
      );
      return results.map((result, i) => ({
        ...result,
        id: pending[i]!.envelope.id,
        type: pending[i]!.envelope.type,
        stream: pending[i]!.stream,
        ...(pending[i]!.warnings ? { warnings: pending[i]!.warnings } : {}),
      }));
    },
  };
}
