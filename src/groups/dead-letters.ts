import type { AppendRecord, LogRecord } from '../log/event-log.js';

/** The dead-letter stream of a stream. */
export function deadLetterStream(stream: string): string {
  return `${stream}.dead-letter`;
}

/**
 * Header names (CloudEvents extension attributes, in the Kafka binding's `ce_` form) that a
 * dead letter carries besides the original event's own.
 */
export const DeadLetterHeader = {
  reason: 'ce_deadletterreason',
  group: 'ce_deadlettergroup',
  stream: 'ce_deadletterstream',
  partition: 'ce_deadletterpartition',
  offset: 'ce_deadletteroffset',
  deliveries: 'ce_deadletterdeliveries',
} as const;

/**
 * The dead letter of `record`: the same key, value, headers and timestamp, so it is the same
 * CloudEvent, plus why it was given up on and where it came from.
 */
export function deadLetterRecord(
  record: LogRecord,
  details: { reason: string; group: string; deliveries: number },
): AppendRecord {
  return {
    key: record.key,
    value: record.value,
    timestamp: record.timestamp,
    headers: {
      ...record.headers,
      [DeadLetterHeader.reason]: details.reason,
      [DeadLetterHeader.group]: details.group,
      [DeadLetterHeader.stream]: record.topic,
      [DeadLetterHeader.partition]: String(record.partition),
      [DeadLetterHeader.offset]: String(record.offset),
      [DeadLetterHeader.deliveries]: String(details.deliveries),
    },
  };
}
