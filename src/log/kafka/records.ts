import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { AppendRecord, LogRecord } from '../event-log.js';

/** The kafkajs message for a record; its partition is chosen later by the partitioner. */
export function toKafkaMessage(record: AppendRecord): Message {
  return {
    key: record.key,
    value: record.value,
    headers: record.headers ? { ...record.headers } : undefined,
    timestamp: record.timestamp === undefined ? undefined : String(record.timestamp),
    partition: record.partition,
  };
}

/** Approximate wire size of a record, to cap how much one coalesced request carries. */
export function recordBytes(record: AppendRecord): number {
  let bytes = 64 + (record.value?.length ?? 0) + (record.key ? Buffer.byteLength(record.key) : 0);
  for (const [name, value] of Object.entries(record.headers ?? {})) {
    bytes += Buffer.byteLength(name) + Buffer.byteLength(value) + 8;
  }
  return bytes;
}

/** A fetched kafkajs message as the port's LogRecord (`topic` is the unprefixed name). */
export function toLogRecord(topic: string, partition: number, message: KafkaMessage): LogRecord {
  return {
    topic,
    partition,
    offset: Number(message.offset),
    timestamp: Number(message.timestamp),
    key: message.key === null ? null : message.key.toString('utf8'),
    value: message.value,
    headers: headersAsStrings(message.headers),
  };
}

/**
 * Header values as UTF-8 strings. Kafka allows a header name to repeat; as Java's
 * `Headers.lastHeader`, the last value wins.
 */
export function headersAsStrings(headers: IHeaders | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last === undefined) continue;
    result[name] = typeof last === 'string' ? last : last.toString('utf8');
  }
  return result;
}
