import { LogError, LogErrorCode } from '../event-log.js';

/** Protocol error types that mean "this record (batch) is over the broker's size limit". */
const tooLargeTypes = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);
const unknownTopicTypes = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'UNKNOWN_TOPIC_ID']);

interface KafkaJsErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
  readonly errors?: unknown;
}

/**
 * The errors a kafkajs failure is made of: the error, its `cause` chain (kafkajs wraps the
 * last attempt in KafkaJSNumberOfRetriesExceeded / KafkaJSNonRetriableError) and the members of
 * aggregate errors (createTopics). Outermost first.
 */
function causesOf(error: unknown): KafkaJsErrorShape[] {
  const found: KafkaJsErrorShape[] = [];
  const pending: unknown[] = [error];
  while (pending.length > 0 && found.length < 32) {
    const next = pending.shift();
    if (typeof next !== 'object' || next === null || found.includes(next)) continue;
    const shape = next as KafkaJsErrorShape;
    found.push(shape);
    if (shape.cause !== undefined) pending.push(shape.cause);
    if (Array.isArray(shape.errors)) pending.push(...shape.errors);
  }
  return found;
}

/** The Kafka protocol error type (`MESSAGE_TOO_LARGE`, …) somewhere in the chain, if any. */
export function protocolErrorType(error: unknown): string | undefined {
  for (const cause of causesOf(error)) {
    if (typeof cause.type === 'string') return cause.type;
  }
  return undefined;
}

/**
 * Maps a kafkajs error to a LogError. `retriable` is kafkajs's verdict on the root cause (the
 * wrapper that says "retries exhausted" is itself non-retriable, though its cause may be a
 * connection error worth retrying later).
 */
export function toLogError(error: unknown, context: string): LogError {
  const causes = causesOf(error);
  // Our own errors thrown inside kafkajs callbacks (the partitioner) come back wrapped.
  const own = causes.find((cause): cause is LogError => cause instanceof LogError);
  if (own) return own;
  const root = causes[causes.length - 1];
  const type = protocolErrorType(error);
  const detail = typeof root?.message === 'string' ? root.message : String(error);
  const message = `${context}: ${detail}`;
  const retriable = root?.retriable === true;
  if (type !== undefined && tooLargeTypes.has(type)) {
    return new LogError(LogErrorCode.RecordTooLarge, message, { retriable: false, cause: error });
  }
  if (type !== undefined && unknownTopicTypes.has(type)) {
    return new LogError(LogErrorCode.UnknownTopic, message, { retriable, cause: error });
  }
  if (retriable || causes.some(isConnectionFailure)) {
    return new LogError(LogErrorCode.Unavailable, message, { retriable, cause: error });
  }
  return new LogError(LogErrorCode.Internal, message, { retriable: false, cause: error });
}

/** Failures to reach a broker at all (SASL or TLS refusals included: nothing was written). */
function isConnectionFailure(cause: KafkaJsErrorShape): boolean {
  return (
    cause.name === 'KafkaJSConnectionError' ||
    cause.name === 'KafkaJSConnectionClosedError' ||
    cause.name === 'KafkaJSRequestTimeoutError' ||
    cause.name === 'KafkaJSNoBrokerAvailableError' ||
    cause.name === 'KafkaJSBrokerNotFound' ||
    cause.name === 'KafkaJSSASLAuthenticationError'
  );
}

/** A retriable LOG_UNAVAILABLE for an operation that ran out of time. */
export function timeoutError(context: string, ms: number): LogError {
  return new LogError(
    LogErrorCode.Unavailable,
    `${context}: no answer from Kafka within ${ms} ms`,
    {
      retriable: true,
    },
  );
}

/** Rejects with `onTimeout()` when `promise` has not settled within `ms`. */
export function withDeadline<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
