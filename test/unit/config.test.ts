import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type Server } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  describeConfig,
  loadConfig,
  tlsConnectionOptions,
  type KafkaTlsConfig,
} from '../../src/config/index.js';
import { createLogger, withRequestId } from '../../src/logger.js';

// A self-signed certificate for CN=streamgate-test with its key, and an unrelated one
// (CN=other-ca): test fixtures, not secrets.
const CERT = `-----BEGIN CERTIFICATE-----
MIIBijCCATGgAwIBAgIUPnT0skBHScTZx+vfb5F8bqzQ2rgwCgYIKoZIzj0EAwIw
GjEYMBYGA1UEAwwPc3RyZWFtZ2F0ZS10ZXN0MCAXDTI2MTEyNDE3NTUxNVoYDzIx
MjYxMDMxMTc1NTE1WjAaMRgwFgYDVQQDDA9zdHJlYW1nYXRlLXRlc3QwWTATBgcq
hkjOPQIBBggqhkjOPQMBBwNCAARP6bwlQER83m8rBr0oIMg/JGl63YYJ29BicRv8
LMjBG3IBoU2PE5Q1t3y1TEePA4dARD5zy7OL6xl61pOy7wt+o1MwUTAdBgNVHQ4E
FgQU6hOSa6uV97eCGU9Ok4eNKjySld8wHwYDVR0jBBgwFoAU6hOSa6uV97eCGU9O
k4eNKjySld8wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiBXVxJV
mO18CETFYuAOfWPwOEp4QkbgT523JC6FmIzDHQIgUapDKdFdQZ8OxM42rvsMYZ2K
YOGcv678T7TOPDgXioI=
-----END CERTIFICATE-----
`;
const KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggjl1dB1p/z8HXoMc
7M4WDkh7PJUUso9iRpvn0a3c8eWhRANCAARP6bwlQER83m8rBr0oIMg/JGl63YYJ
29BicRv8LMjBG3IBoU2PE5Q1t3y1TEePA4dARD5zy7OL6xl61pOy7wt+
-----END PRIVATE KEY-----
`;
const OTHER_CERT = `-----BEGIN CERTIFICATE-----
MIIBfTCCASOgAwIBAgIUOUhD9E3jw7jCU3bsHTS/MMwXtpEwCgYIKoZIzj0EAwIw
EzERMA8GA1UEAwwIb3RoZXItY2EwIBcNMjYxMTI0MTc1NjI2WhgPMjEyNjEwMzEx
NzU2MjZaMBMxETAPBgNVBAMMCG90aGVyLWNhMFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAE4REJVeC0vE4gBeJr7SVp6+WBcaQoDLYeK8+Sr0glP9oAj2b9A96GHQHP
2voNXCZ2jwVVUeg7tHhjc6319bKJ1qNTMFEwHQYDVR0OBBYEFDMg5/lj/f4EfmF9
MiW+3/5K8gJ+MB8GA1UdIwQYMBaAFDMg5/lj/f4EfmF9MiW+3/5K8gJ+MA8GA1Ud
EwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIhAI3/MT8RBonjOqmVgJ+FUqvr
biqGF4ZOYWyivu05l+PZAiA2xmTuWVI0kCR8FvZ9klo4TK/q7dPHheGUqiU4I7Mn
BA==
-----END CERTIFICATE-----
`;
const OTHER_KEY = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  .privateKey.export({ type: 'pkcs8', format: 'pem' })
  .toString();

const dir = mkdtempSync(join(tmpdir(), 'streamgate-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function fileWith(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The ConfigError that `env` causes. */
function problems(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe.concurrent('loadConfig defaults', () => {
  it('runs on the embedded log with the documented defaults when nothing is set', () => {
    expect(loadConfig({})).toEqual({
      port: 4000,
      host: '0.0.0.0',
      dataDir: './data',
      adminToken: undefined,
      topicPrefix: '',
      logLevel: 'info',
      logFormat: 'auto',
      kafka: undefined,
      limits: { maxEventBytes: 1048576, maxBatchEvents: 500, maxBatchBytes: 5242880 },
      registryLimits: {},
      metricsToken: undefined,
      edge: {
        trustedProxies: [],
        maxWebSocketsPerToken: 100,
        maxWebSocketsPerAddress: 1000,
        webSocketIdleTimeoutMs: 60000,
        webSocketPingIntervalMs: 12000,
        webSocketHandshakeConcurrency: 256,
        maxVariablesBytes: 262144,
        maxFilterBytes: 65536,
      },
      fsync: 'always',
      fsyncIntervalMs: 1000,
      acceptRegistryDamage: false,
      groupMaxDeliveries: 5,
      fanout: { hotWindowBytes: 64 * 1024 * 1024, catchUpConcurrency: 8 },
      ignoredVariables: [],
    });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '', KAFKA_BROKERS: '  ', LOG_LEVEL: '' })).toMatchObject({
      port: 4000,
      kafka: undefined,
      logLevel: 'info',
    });
  });
});

describe.concurrent('loadConfig registry limits and the metrics token', () => {
  it('reads GATEWAY_MAX_SCHEMA_* and GATEWAY_MAX_EVENT_TYPES*; unset ones are left to the registry', () => {
    const config = loadConfig({
      GATEWAY_MAX_SCHEMA_BYTES: '1024',
      GATEWAY_MAX_EVENT_TYPES_PER_STREAM: '5',
      GATEWAY_METRICS_TOKEN: 'metrics-token-0123456789',
    });
    expect(config.registryLimits).toEqual({ maxSchemaBytes: 1024, maxEventTypesPerStream: 5 });
    expect(config.metricsToken).toBe('metrics-token-0123456789');
  });

  it('names the variable of a bad limit or a short metrics token', () => {
    expect(() =>
      loadConfig({ GATEWAY_MAX_SCHEMA_DEPTH: '0', GATEWAY_METRICS_TOKEN: 'short' }),
    ).toThrow(/GATEWAY_MAX_SCHEMA_DEPTH[\s\S]*GATEWAY_METRICS_TOKEN/);
  });
});

describe.concurrent('loadConfig edge limits', () => {
  it('reads trusted proxies, WebSocket caps and byte limits', () => {
    expect(
      loadConfig({
        GATEWAY_TRUSTED_PROXIES: '10.0.0.0/8, ::1 ,192.168.1.7,fd00::/8',
        MAX_WS_CONNECTIONS_PER_TOKEN: '5',
        MAX_WS_CONNECTIONS_PER_ADDRESS: '50',
        WS_IDLE_TIMEOUT_MS: '0',
        WS_PING_INTERVAL_MS: '5000',
        WS_HANDSHAKE_CONCURRENCY: '0',
        MAX_VARIABLES_BYTES: '4096',
        MAX_FILTER_BYTES: '1024',
      }).edge,
    ).toEqual({
      trustedProxies: ['10.0.0.0/8', '::1', '192.168.1.7', 'fd00::/8'],
      maxWebSocketsPerToken: 5,
      maxWebSocketsPerAddress: 50,
      webSocketIdleTimeoutMs: 0,
      webSocketPingIntervalMs: 5000,
      webSocketHandshakeConcurrency: 0,
      maxVariablesBytes: 4096,
      maxFilterBytes: 1024,
    });
  });

  it.each([
    ['GATEWAY_TRUSTED_PROXIES', '10.0.0.0/8,proxy.internal', /"proxy\.internal"/],
    ['GATEWAY_TRUSTED_PROXIES', '10.0.0.0/33', /"10\.0\.0\.0\/33"/],
    ['MAX_WS_CONNECTIONS_PER_TOKEN', '0', /at least 1/],
    ['MAX_FILTER_BYTES', '1e6', /whole number/],
    ['WS_HANDSHAKE_CONCURRENCY', '-1', /at least 0/],
  ])('refuses %s=%s', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
    expect(() => loadConfig({ [variable]: value })).toThrow(variable);
  });
});

describe.concurrent('loadConfig server settings', () => {
  it('reads PORT, HOST, GATEWAY_DATA_DIR, GATEWAY_ADMIN_TOKEN and LOG_LEVEL', () => {
    const config = loadConfig({
      PORT: ' 8080 ',
      HOST: '127.0.0.1',
      GATEWAY_DATA_DIR: '/var/lib/streamgate',
      GATEWAY_ADMIN_TOKEN: 'a-long-admin-token-0123',
      LOG_LEVEL: 'DEBUG',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/var/lib/streamgate',
      adminToken: 'a-long-admin-token-0123',
      logLevel: 'debug',
    });
  });

  it('reads LOG_FORMAT and refuses a format it does not know', () => {
    expect(loadConfig({ LOG_FORMAT: 'JSON' }).logFormat).toBe('json');
    expect(loadConfig({ LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(problems({ LOG_FORMAT: 'xml' }).message).toContain('LOG_FORMAT');
  });

  it('accepts the ends of the port range', () => {
    expect(loadConfig({ PORT: '1' }).port).toBe(1);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });

  it.each(['abc', '0', '65536', '80.5', '-1', '4e3', '0x10'])('refuses PORT=%s', (port) => {
    expect(problems({ PORT: port }).message).toBe(
      `PORT: expected an integer from 1 to 65535, got "${port}"`,
    );
  });

  it('refuses an unknown LOG_LEVEL, listing the levels', () => {
    expect(problems({ LOG_LEVEL: 'loud' }).message).toBe(
      'LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    );
  });

  it('refuses a short GATEWAY_ADMIN_TOKEN without showing it', () => {
    expect(problems({ GATEWAY_ADMIN_TOKEN: 'hunter2hunter2' }).message).toBe(
      'GATEWAY_ADMIN_TOKEN: must be at least 16 characters long, got 14',
    );
  });

  it('reads KAFKA_TOPIC_PREFIX and refuses characters Kafka topic names cannot hold', () => {
    expect(loadConfig({ KAFKA_TOPIC_PREFIX: 'team-a.' }).topicPrefix).toBe('team-a.');
    expect(problems({ KAFKA_TOPIC_PREFIX: 'team a/' }).message).toBe(
      `KAFKA_TOPIC_PREFIX: expected only letters, digits, '.', '_' and '-', got "team a/"`,
    );
  });
});

describe.concurrent('loadConfig limits and fsync', () => {
  it('reads the limits', () => {
    const config = loadConfig({
      MAX_EVENT_BYTES: '2048',
      MAX_BATCH_EVENTS: '10',
      MAX_BATCH_BYTES: '4096',
    });
    expect(config.limits).toEqual({ maxEventBytes: 2048, maxBatchEvents: 10, maxBatchBytes: 4096 });
  });

  it.each([
    ['MAX_EVENT_BYTES', '0'],
    ['MAX_BATCH_EVENTS', '-5'],
    ['MAX_BATCH_BYTES', '5MB'],
  ])('refuses %s=%s', (variable, value) => {
    expect(problems({ [variable]: value }).message).toBe(
      `${variable}: expected a whole number of at least 1, got "${value}"`,
    );
  });

  it('refuses a batch limit smaller than the event limit', () => {
    expect(problems({ MAX_BATCH_BYTES: '1000' }).message).toBe(
      'MAX_BATCH_BYTES: must be at least MAX_EVENT_BYTES (1048576), got 1000',
    );
    expect(problems({ MAX_EVENT_BYTES: '6000000' }).message).toBe(
      'MAX_EVENT_BYTES: must be at most MAX_BATCH_BYTES (5242880), got 6000000',
    );
  });

  it('reads FSYNC in any case, with its interval', () => {
    expect(loadConfig({ FSYNC: 'Never' }).fsync).toBe('never');
    expect(loadConfig({ FSYNC: 'interval', FSYNC_INTERVAL_MS: '50' })).toMatchObject({
      fsync: 'interval',
      fsyncIntervalMs: 50,
    });
    expect(problems({ FSYNC: 'sometimes' }).message).toBe(
      'FSYNC: expected one of always, interval, never, got "sometimes"',
    );
    expect(problems({ FSYNC: 'interval', FSYNC_INTERVAL_MS: 'soon' }).message).toBe(
      'FSYNC_INTERVAL_MS: expected a whole number of at least 1, got "soon"',
    );
  });

  it('reports FSYNC as ignored with Kafka, since Kafka has its own durability', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'k:9092', FSYNC: 'bogus' });
    expect(config.ignoredVariables).toEqual(['FSYNC']);
  });

  it('reads GATEWAY_ACCEPT_REGISTRY_DAMAGE on the embedded log, and ignores it with Kafka', () => {
    expect(loadConfig({ GATEWAY_ACCEPT_REGISTRY_DAMAGE: '1' }).acceptRegistryDamage).toBe(true);
    expect(loadConfig({ GATEWAY_ACCEPT_REGISTRY_DAMAGE: 'no' }).acceptRegistryDamage).toBe(false);
    expect(problems({ GATEWAY_ACCEPT_REGISTRY_DAMAGE: 'maybe' }).message).toMatch(
      /^GATEWAY_ACCEPT_REGISTRY_DAMAGE: expected true or false/,
    );
    const onKafka = loadConfig({ KAFKA_BROKERS: 'k:9092', GATEWAY_ACCEPT_REGISTRY_DAMAGE: '1' });
    expect(onKafka.acceptRegistryDamage).toBe(false);
    expect(onKafka.ignoredVariables).toEqual(['GATEWAY_ACCEPT_REGISTRY_DAMAGE']);
  });
});

describe.concurrent('loadConfig KAFKA_BROKERS', () => {
  it('reads a comma-separated list, trimming spaces and a trailing comma', () => {
    expect(
      loadConfig({ KAFKA_BROKERS: 'k1:9092, k2.internal:9093 ,10.0.0.7:9094,' }).kafka,
    ).toEqual({
      source: 'KAFKA_BROKERS',
      brokers: ['k1:9092', 'k2.internal:9093', '10.0.0.7:9094'],
      ssl: undefined,
      sasl: undefined,
      groupIdPrefix: '',
    });
  });

  it.each(['k1', 'k1:0', 'k1:99999', 'kafka://k1:9092', 'k1:9092;k2:9092'])(
    'refuses KAFKA_BROKERS=%s',
    (brokers) => {
      expect(problems({ KAFKA_BROKERS: `ok:9092,${brokers}` }).message).toBe(
        `KAFKA_BROKERS: expected host:port (port 1 to 65535) for each broker, got "${brokers}"`,
      );
    },
  );

  it('prefixes consumer groups like topics', () => {
    const config = loadConfig({ KAFKA_BROKERS: 'k:9092', KAFKA_TOPIC_PREFIX: 'sg.' });
    expect(config.topicPrefix).toBe('sg.');
    expect(config.kafka?.groupIdPrefix).toBe('sg.');
  });

  it('ignores Kafka connection variables, without checking them, on the embedded log', () => {
    const config = loadConfig({ KAFKA_SSL_CA: 'not a cert', KAFKA_SASL_MECHANISM: 'x' });
    expect(config.kafka).toBeUndefined();
    expect(config.ignoredVariables).toEqual(['KAFKA_SSL_CA', 'KAFKA_SASL_MECHANISM']);
  });
});

describe.concurrent('loadConfig SASL', () => {
  it('reads a mechanism in any case with its username and password', () => {
    const config = loadConfig({
      KAFKA_BROKERS: 'k:9092',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'gateway',
      KAFKA_SASL_PASSWORD: ' pass word ',
    });
    // A password is opaque: even its spaces are kept.
    expect(config.kafka?.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'gateway',
      password: ' pass word ',
    });
  });

  it('refuses an unknown mechanism', () => {
    expect(
      problems({
        KAFKA_BROKERS: 'k:9092',
        KAFKA_SASL_MECHANISM: 'gssapi',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }).message,
    ).toBe(
      'KAFKA_SASL_MECHANISM: expected one of plain, scram-sha-256, scram-sha-512, got "gssapi"',
    );
  });

  it('requires both the username and the password with a mechanism', () => {
    expect(problems({ KAFKA_BROKERS: 'k:9092', KAFKA_SASL_MECHANISM: 'plain' }).message).toBe(
      'KAFKA_SASL_USERNAME: required when KAFKA_SASL_MECHANISM is set\n' +
        'KAFKA_SASL_PASSWORD: required when KAFKA_SASL_MECHANISM is set',
    );
  });

  it('requires a mechanism when credentials are given', () => {
    expect(problems({ KAFKA_BROKERS: 'k:9092', KAFKA_SASL_USERNAME: 'u' }).message).toBe(
      'KAFKA_SASL_MECHANISM: required when KAFKA_SASL_USERNAME is set: one of plain, scram-sha-256, scram-sha-512',
    );
  });
});

describe.concurrent('loadConfig TLS with KAFKA_BROKERS', () => {
  it('turns TLS on with the system CAs when KAFKA_SSL=true', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'yes' }).kafka?.ssl).toEqual({
      ca: undefined,
      cert: undefined,
      key: undefined,
      rejectUnauthorized: true,
      verifyHostname: true,
    });
  });

  it('takes PEM text, a PEM with literal \\n, or a path to a PEM file', () => {
    const inline = loadConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CA: CERT });
    const escaped = loadConfig({
      KAFKA_BROKERS: 'k:9093',
      KAFKA_SSL_CA: CERT.replaceAll('\n', '\\n'),
    });
    const fromFile = loadConfig({
      KAFKA_BROKERS: 'k:9093',
      KAFKA_SSL_CA: fileWith('ca.pem', CERT),
    });
    expect(inline.kafka?.ssl?.ca).toBe(CERT);
    expect(escaped.kafka?.ssl?.ca).toBe(CERT);
    expect(fromFile.kafka?.ssl?.ca).toBe(CERT);
  });

  it('keeps every certificate of a CA bundle', () => {
    const ssl = loadConfig({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CA: CERT + OTHER_CERT }).kafka?.ssl;
    expect(ssl?.ca).toBe(CERT + OTHER_CERT);
  });

  it('reads a client certificate with its key', () => {
    const ssl = loadConfig({
      KAFKA_BROKERS: 'k:9093',
      KAFKA_SSL_CERT: CERT,
      KAFKA_SSL_KEY: fileWith('client.key', KEY),
      KAFKA_SSL_REJECT_UNAUTHORIZED: 'false',
    }).kafka?.ssl;
    expect(ssl).toMatchObject({ cert: CERT, key: KEY, rejectUnauthorized: false });
  });

  it('refuses a key that does not belong to the certificate', () => {
    const env = { KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CERT: CERT, KAFKA_SSL_KEY: OTHER_KEY };
    expect(problems(env).message).toBe(
      'KAFKA_SSL_KEY: is not the private key of the certificate in KAFKA_SSL_CERT',
    );
  });

  it('requires the key with the certificate, and the other way round', () => {
    expect(problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CERT: CERT }).message).toBe(
      'KAFKA_SSL_KEY: required when KAFKA_SSL_CERT is set',
    );
    expect(problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_KEY: KEY }).message).toBe(
      'KAFKA_SSL_CERT: required when KAFKA_SSL_KEY is set',
    );
  });

  it('names an unreadable certificate file', () => {
    const path = join(dir, 'missing.pem');
    expect(problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CA: path }).message).toBe(
      `KAFKA_SSL_CA: is neither PEM text (-----BEGIN ...) nor a readable file: "${path}" (ENOENT)`,
    );
  });

  it('refuses PEM that is not a certificate, or a corrupt one', () => {
    expect(problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CA: KEY }).message).toBe(
      'KAFKA_SSL_CA: expected PEM certificates, but the value holds a PRIVATE KEY block',
    );
    const corrupt = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    expect(problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CA: corrupt }).message).toBe(
      'KAFKA_SSL_CA: certificate 1 in the value is not a valid X.509 certificate',
    );
    expect(
      problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL_CA: fileWith('empty.pem', 'hello') }).message,
    ).toMatch(/^KAFKA_SSL_CA: file ".*empty\.pem" holds no complete PEM block$/);
  });

  it('refuses KAFKA_SSL=false next to certificates, and a KAFKA_SSL that is no boolean', () => {
    expect(
      problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'false', KAFKA_SSL_CA: CERT }).message,
    ).toBe('KAFKA_SSL: is false but KAFKA_SSL_CA is set');
    expect(problems({ KAFKA_BROKERS: 'k:9093', KAFKA_SSL: 'maybe' }).message).toBe(
      'KAFKA_SSL: expected true or false, got "maybe"',
    );
  });
});

describe.concurrent('loadConfig KAFKA_URL (Heroku)', () => {
  const heroku = {
    KAFKA_URL:
      'kafka+ssl://ec2-1-2-3-4.compute-1.amazonaws.com:9096,kafka+ssl://ec2-5-6-7-8.compute-1.amazonaws.com:9096',
    KAFKA_TRUSTED_CERT: CERT + OTHER_CERT,
    KAFKA_CLIENT_CERT: CERT,
    KAFKA_CLIENT_CERT_KEY: KEY,
    KAFKA_PREFIX: 'columbia-1234.',
  };

  it('maps kafka+ssl:// brokers and the Heroku certificates onto TLS', () => {
    const config = loadConfig(heroku);
    expect(config.topicPrefix).toBe('columbia-1234.');
    expect(config.kafka).toEqual({
      source: 'KAFKA_URL',
      brokers: [
        'ec2-1-2-3-4.compute-1.amazonaws.com:9096',
        'ec2-5-6-7-8.compute-1.amazonaws.com:9096',
      ],
      ssl: {
        ca: CERT + OTHER_CERT,
        cert: CERT,
        key: KEY,
        rejectUnauthorized: true,
        // Heroku's broker certificates do not name these hosts; the chain is still verified.
        verifyHostname: false,
      },
      sasl: undefined,
      groupIdPrefix: 'columbia-1234.',
    });
    expect(config.ignoredVariables).toEqual([]);
  });

  it('lets hostname verification be turned back on', () => {
    const config = loadConfig({ ...heroku, KAFKA_SSL_VERIFY_HOSTNAME: 'true' });
    expect(config.kafka?.ssl?.verifyHostname).toBe(true);
  });

  it('reads plain kafka:// as plaintext and ignores the certificates', () => {
    const config = loadConfig({
      ...heroku,
      KAFKA_URL: 'kafka://10.1.0.5:9092,KAFKA://10.1.0.6:9092/',
    });
    expect(config.kafka?.brokers).toEqual(['10.1.0.5:9092', '10.1.0.6:9092']);
    expect(config.kafka?.ssl).toBeUndefined();
    expect(config.ignoredVariables).toEqual([
      'KAFKA_TRUSTED_CERT',
      'KAFKA_CLIENT_CERT',
      'KAFKA_CLIENT_CERT_KEY',
    ]);
  });

  it('lets the generic variables override the Heroku ones', () => {
    const config = loadConfig({ ...heroku, KAFKA_SSL_CA: OTHER_CERT, KAFKA_TOPIC_PREFIX: 'mine.' });
    expect(config.kafka?.ssl).toMatchObject({ ca: OTHER_CERT, cert: CERT, verifyHostname: true });
    expect(config.topicPrefix).toBe('mine.');
    expect(config.ignoredVariables).toEqual(['KAFKA_PREFIX', 'KAFKA_TRUSTED_CERT']);
  });

  it('prefers KAFKA_BROKERS and then ignores every Heroku variable', () => {
    const config = loadConfig({ ...heroku, KAFKA_BROKERS: 'local:9092' });
    expect(config.kafka).toMatchObject({
      source: 'KAFKA_BROKERS',
      brokers: ['local:9092'],
      ssl: undefined,
    });
    expect(config.topicPrefix).toBe('');
    expect(config.ignoredVariables).toEqual(Object.keys(heroku));
  });

  it.each([
    ['h1:9096', 'KAFKA_URL: expected kafka://host:port or kafka+ssl://host:port, got "h1:9096"'],
    [
      'kafka+ssl://h1',
      'KAFKA_URL: expected host:port (port 1 to 65535) after kafka+ssl://, got "kafka+ssl://h1"',
    ],
    [
      'kafka+ssl://h1:9096,kafka://h2:9092',
      'KAFKA_URL: mixes kafka:// and kafka+ssl:// URLs; use one scheme',
    ],
  ])('refuses KAFKA_URL=%s', (url, message) => {
    expect(problems({ KAFKA_URL: url }).message).toBe(message);
  });

  it('refuses KAFKA_SSL=false against a kafka+ssl:// URL', () => {
    expect(problems({ ...heroku, KAFKA_SSL: 'false' }).message).toBe(
      'KAFKA_SSL: is false but KAFKA_URL uses kafka+ssl://',
    );
  });

  it('requires the client key with the Heroku client certificate', () => {
    expect(problems({ ...heroku, KAFKA_CLIENT_CERT_KEY: '' }).message).toBe(
      'KAFKA_CLIENT_CERT_KEY: required when KAFKA_CLIENT_CERT is set',
    );
  });
});

describe.concurrent('ConfigError', () => {
  it('has one line per bad variable, each naming it', () => {
    const error = problems({
      PORT: 'abc',
      LOG_LEVEL: 'chatty',
      KAFKA_BROKERS: 'nope',
      MAX_BATCH_EVENTS: 'many',
      HOST: '0.0.0.0',
    });
    const lines = error.message.split('\n');
    expect(lines.map((line) => line.split(':')[0])).toEqual([
      'PORT',
      'LOG_LEVEL',
      'KAFKA_BROKERS',
      'MAX_BATCH_EVENTS',
    ]);
    expect(error.issues.map((issue) => issue.variable)).toEqual([
      'PORT',
      'LOG_LEVEL',
      'KAFKA_BROKERS',
      'MAX_BATCH_EVENTS',
    ]);
  });

  it('keeps a value with a line break on its one line', () => {
    expect(problems({ PORT: '80\n81' }).message).toBe(
      'PORT: expected an integer from 1 to 65535, got "80\\n81"',
    );
  });

  it('never shows a secret value', () => {
    const secrets = {
      GATEWAY_ADMIN_TOKEN: 'SECRET1-short',
      KAFKA_SSL_KEY: 'MIIEvSECRET2base64keybodywithoutheader',
      KAFKA_SSL_CERT: CERT,
      KAFKA_SASL_MECHANISM: 'kerberos',
      KAFKA_SASL_USERNAME: 'gateway',
      KAFKA_SASL_PASSWORD: 'SECRET3',
      KAFKA_BROKERS: 'k:9093',
    };
    const message = problems(secrets).message;
    expect(message.split('\n')).toHaveLength(3);
    for (const secret of ['SECRET1', 'SECRET2', 'SECRET3']) expect(message).not.toContain(secret);

    const corruptKey = '-----BEGIN PRIVATE KEY-----\nSECRET4AAAA\n-----END PRIVATE KEY-----';
    const keyMessage = problems({
      KAFKA_URL: 'kafka+ssl://h:9096',
      KAFKA_CLIENT_CERT: CERT,
      KAFKA_CLIENT_CERT_KEY: corruptKey,
    }).message;
    expect(keyMessage).toBe(
      'KAFKA_CLIENT_CERT_KEY: the value holds a PRIVATE KEY block that is not a valid key',
    );

    const urlMessage = problems({ KAFKA_URL: 'kafka+ssl://user:SECRET5@h:9096' }).message;
    expect(urlMessage).toBe(
      'KAFKA_URL: credentials in the URL are not supported; use KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD',
    );
  });
});

describe.concurrent('describeConfig', () => {
  it('redacts secrets and summarises certificates', () => {
    const config = loadConfig({
      GATEWAY_ADMIN_TOKEN: 'sg-admin-SECRET1-long',
      KAFKA_URL: 'kafka+ssl://h1:9096',
      KAFKA_TRUSTED_CERT: CERT,
      KAFKA_CLIENT_CERT: CERT,
      KAFKA_CLIENT_CERT_KEY: KEY,
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'gateway',
      KAFKA_SASL_PASSWORD: 'SECRET2',
    });
    const described = describeConfig(config);
    const text = JSON.stringify(described);
    expect(text).not.toContain('SECRET1');
    expect(text).not.toContain('SECRET2');
    expect(text).not.toContain(KEY.split('\n')[1]);
    expect(described).toMatchObject({
      adminToken: '[redacted]',
      log: 'kafka',
      kafka: {
        brokers: ['h1:9096'],
        ssl: { key: '[redacted]', verifyHostname: false },
        sasl: { mechanism: 'plain', username: 'gateway', password: '[redacted]' },
      },
    });
    expect(text).toContain('CN=streamgate-test (valid to');
  });

  it('says when the admin token will be generated and which log is used', () => {
    expect(describeConfig(loadConfig({}))).toMatchObject({
      adminToken: 'generated at start',
      log: 'embedded',
      fsync: 'always',
    });
  });
});

describe.concurrent('tlsConnectionOptions against a broker-like TLS server', () => {
  // Like a Heroku broker: its certificate names a host other than the one dialled (127.0.0.1).
  const server: Server = createServer({ cert: CERT, key: KEY }, (socket) => socket.end());
  let port = 0;
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    port = address.port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  async function handshake(ssl: KafkaTlsConfig): Promise<string> {
    return new Promise((resolve) => {
      const socket = connect({ host: '127.0.0.1', port, ...tlsConnectionOptions(ssl) });
      socket.once('secureConnect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
  }

  function sslOf(env: NodeJS.ProcessEnv): KafkaTlsConfig {
    const ssl = loadConfig({ KAFKA_URL: 'kafka+ssl://h:9096', ...env }).kafka?.ssl;
    if (!ssl) throw new Error('TLS expected');
    return ssl;
  }

  it('connects with the Heroku CA although the certificate names another host', async () => {
    expect(await handshake(sslOf({ KAFKA_TRUSTED_CERT: CERT }))).toBe('connected');
  });

  it('still refuses a broker whose certificate the CA did not sign', async () => {
    expect(await handshake(sslOf({ KAFKA_TRUSTED_CERT: OTHER_CERT }))).not.toBe('connected');
  });

  it('refuses the host name mismatch when hostname verification is on', async () => {
    const ssl = sslOf({ KAFKA_TRUSTED_CERT: CERT, KAFKA_SSL_VERIFY_HOSTNAME: 'true' });
    expect(await handshake(ssl)).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
  });
});

describe.concurrent('createLogger', () => {
  function captured(options: Parameters<typeof createLogger>[0] = {}) {
    const lines: string[] = [];
    const logger = createLogger({
      ...options,
      destination: { write: (line: string) => void lines.push(line) },
    });
    return {
      logger,
      lines,
      records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    };
  }

  it('writes one JSON object per line with a level name and an ISO time', () => {
    const { logger, records } = captured({ name: 'gateway' });
    logger.info({ stream: 'platform' }, 'started');
    expect(records()).toEqual([
      expect.objectContaining({
        level: 'info',
        name: 'gateway',
        stream: 'platform',
        msg: 'started',
      }),
    ]);
    expect(String(records()[0]?.['time'])).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('never writes tokens, passwords or authorization headers', () => {
    const { logger, lines, records } = captured();
    logger.info(
      {
        req: { method: 'POST', headers: { authorization: 'Bearer SECRET1', host: 'gw' } },
        connectionParams: { authorization: 'Bearer SECRET2' },
        ctx: { connectionParams: { Authorization: 'Bearer SECRET3' } },
        issued: { id: 'tok_1', token: 'SECRET4' },
        token: 'SECRET5',
        kafka: { sasl: { username: 'gw', password: 'SECRET6' }, ssl: { key: 'SECRET7' } },
        adminToken: 'SECRET8',
        record: { key: 'resource-1' },
      },
      'request',
    );
    const output = lines.join('');
    for (let n = 1; n <= 8; n++) expect(output).not.toContain(`SECRET${n}`);
    expect(records()[0]).toMatchObject({
      req: { method: 'POST', headers: { authorization: '[Redacted]', host: 'gw' } },
      connectionParams: { authorization: '[Redacted]' },
      issued: { id: 'tok_1', token: '[Redacted]' },
      kafka: { sasl: { username: 'gw', password: '[Redacted]' } },
      // A Kafka record key is no secret.
      record: { key: 'resource-1' },
    });
  });

  it('drops lines below its level', () => {
    const quiet = captured({ level: 'warn' });
    quiet.logger.info('hidden');
    quiet.logger.warn('shown');
    expect(quiet.records().map((record) => record['msg'])).toEqual(['shown']);
    const chatty = captured({ level: 'debug' });
    chatty.logger.debug('detail');
    expect(chatty.records()).toHaveLength(1);
  });

  it('serialises errors logged as err or error', () => {
    const { logger, records } = captured();
    logger.error({ error: new Error('boom') }, 'failed');
    expect(records()[0]).toMatchObject({ error: { type: 'Error', message: 'boom' } });
  });

  it('makes child loggers that tag every line with a request id', () => {
    const { logger, records } = captured();
    const given = withRequestId(logger, 'req-42');
    given.info({ token: 'SECRET' }, 'one');
    withRequestId(logger).info('two');
    const [first, second] = records();
    expect(first).toMatchObject({ requestId: 'req-42', token: '[Redacted]', msg: 'one' });
    expect(second?.['requestId']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
