/**
 * Broker addresses: `KAFKA_BROKERS` (`h1:9092,h2:9092`) and Heroku's `KAFKA_URL`
 * (`kafka+ssl://h1:9096,kafka+ssl://h2:9096`).
 */
import { z } from 'zod';
import { shown } from './env-values.js';

export interface KafkaUrl {
  /** `host:port` of each broker, in the order given. */
  readonly brokers: readonly string[];
  /** True for `kafka+ssl://`. */
  readonly tls: boolean;
}

// Host names, IPv4 addresses and container names (which may hold '_'). IPv6 literals are left
// out on purpose: kafkajs splits a broker address at its first ':'.
const HOST_PORT = /^([A-Za-z0-9_.-]+):(\d{1,5})$/;
const URL_SCHEME = /^(kafka|kafka\+ssl):\/\/(.*)$/i;

/** Splits at commas, trims, and drops empty entries so a trailing comma does no harm. */
function entries(raw: string): string[] {
  return raw
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
}

function isHostPort(entry: string): boolean {
  const match = HOST_PORT.exec(entry);
  if (!match) return false;
  const port = Number(match[2]);
  return port >= 1 && port <= 65535;
}

/** Why `raw` is not a broker list, or undefined when it is one. */
function brokerListProblem(raw: string): string | undefined {
  const list = entries(raw);
  if (list.length === 0) return 'expected at least one host:port';
  const bad = list.find((entry) => !isHostPort(entry));
  if (bad !== undefined)
    return `expected host:port (port 1 to 65535) for each broker, got ${shown(bad)}`;
  return undefined;
}

/** `KAFKA_BROKERS`: comma-separated `host:port`. */
export const brokerList: z.ZodType<readonly string[], string> = z.string().transform((raw, ctx) => {
  const problem = brokerListProblem(raw);
  if (problem === undefined) return entries(raw);
  ctx.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
});

/** Parses a Heroku-style `KAFKA_URL`; the problem is a message fit for `ConfigError`. */
export function parseKafkaUrl(raw: string): KafkaUrl | { problem: string } {
  const list = entries(raw);
  if (list.length === 0) return { problem: 'expected at least one kafka+ssl://host:port URL' };
  const brokers: string[] = [];
  const schemes = new Set<string>();
  for (const entry of list) {
    const match = URL_SCHEME.exec(entry);
    if (!match) {
      return {
        problem: `expected kafka://host:port or kafka+ssl://host:port, got ${shown(entry)}`,
      };
    }
    const scheme = (match[1] ?? '').toLowerCase();
    const address = (match[2] ?? '').replace(/\/$/, '');
    // Credentials in a URL would end up in error messages and logs; SASL has its own variables.
    if (address.includes('@')) {
      return {
        problem:
          'credentials in the URL are not supported; use KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
      };
    }
    if (!isHostPort(address)) {
      return {
        problem: `expected host:port (port 1 to 65535) after ${scheme}://, got ${shown(entry)}`,
      };
    }
    schemes.add(scheme);
    brokers.push(address);
  }
  if (schemes.size > 1) return { problem: 'mixes kafka:// and kafka+ssl:// URLs; use one scheme' };
  return { brokers, tls: schemes.has('kafka+ssl') };
}

/** `KAFKA_URL` as a schema. */
export const kafkaUrl: z.ZodType<KafkaUrl, string> = z.string().transform((raw, ctx) => {
  const parsed = parseKafkaUrl(raw);
  if ('problem' in parsed) {
    ctx.addIssue({ code: 'custom', message: parsed.problem });
    return z.NEVER;
  }
  return parsed;
});
