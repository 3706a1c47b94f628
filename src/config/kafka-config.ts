/**
 * The Kafka part of the configuration, from the generic `KAFKA_*` variables or Heroku's.
 *
 * Rules, in order:
 * - `KAFKA_BROKERS` wins over `KAFKA_URL`. The Heroku variables (`KAFKA_URL`,
 *   `KAFKA_TRUSTED_CERT`, `KAFKA_CLIENT_CERT`, `KAFKA_CLIENT_CERT_KEY`, `KAFKA_PREFIX`) are then
 *   ignored as a group: they describe the add-on's cluster, not the one named.
 * - With `KAFKA_URL`, each generic variable still overrides its Heroku counterpart
 *   (`KAFKA_SSL_CA` over `KAFKA_TRUSTED_CERT`, `KAFKA_TOPIC_PREFIX` over `KAFKA_PREFIX`, ...).
 * - Neither set: the embedded log; every Kafka connection variable is ignored.
 */
import type { EnvReader } from './env-reader.js';
import { choice, instanceName, text, topicPrefix } from './env-values.js';
import {
  CONFIG_DEFAULTS,
  SASL_MECHANISMS,
  type KafkaConfig,
  type KafkaSaslConfig,
} from './gateway-config.js';
import { readKafkaTls, TLS_VARIABLES } from './kafka-tls-config.js';
import { brokerList, kafkaUrl } from './kafka-url.js';

const HEROKU_VARIABLES = [
  'KAFKA_URL',
  'KAFKA_TRUSTED_CERT',
  'KAFKA_CLIENT_CERT',
  'KAFKA_CLIENT_CERT_KEY',
  'KAFKA_PREFIX',
];
const SASL_VARIABLES = ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'];

export interface KafkaSettings {
  readonly kafka: KafkaConfig | undefined;
  readonly topicPrefix: string;
}

export function readKafkaSettings(reader: EnvReader): KafkaSettings {
  if (reader.isSet('KAFKA_BROKERS')) {
    reader.ignore(...HEROKU_VARIABLES);
    const brokers = reader.read('KAFKA_BROKERS', brokerList, []);
    const prefix = readTopicPrefix(reader, false);
    return {
      kafka: {
        source: 'KAFKA_BROKERS',
        brokers,
        ssl: readKafkaTls(reader, false, undefined),
        sasl: readSasl(reader),
        groupIdPrefix: prefix,
        instanceId: reader.read('GATEWAY_INSTANCE_ID', instanceName),
      },
      topicPrefix: prefix,
    };
  }
  if (reader.isSet('KAFKA_URL')) {
    const url = reader.read('KAFKA_URL', kafkaUrl);
    const prefix = readTopicPrefix(reader, true);
    return {
      kafka: {
        source: 'KAFKA_URL',
        brokers: url?.brokers ?? [],
        // A bad URL is already reported; assume TLS so certificate variables are still checked.
        ssl: readKafkaTls(reader, true, url?.tls ?? true),
        sasl: readSasl(reader),
        groupIdPrefix: prefix,
        instanceId: reader.read('GATEWAY_INSTANCE_ID', instanceName),
      },
      topicPrefix: prefix,
    };
  }
  reader.ignore(...HEROKU_VARIABLES, ...TLS_VARIABLES, ...SASL_VARIABLES, 'GATEWAY_INSTANCE_ID');
  return { kafka: undefined, topicPrefix: readTopicPrefix(reader, false) };
}

function readTopicPrefix(reader: EnvReader, heroku: boolean): string {
  if (reader.isSet('KAFKA_TOPIC_PREFIX') || !heroku) {
    reader.ignore('KAFKA_PREFIX');
    return reader.read('KAFKA_TOPIC_PREFIX', topicPrefix, CONFIG_DEFAULTS.topicPrefix);
  }
  return reader.read('KAFKA_PREFIX', topicPrefix, CONFIG_DEFAULTS.topicPrefix);
}

function readSasl(reader: EnvReader): KafkaSaslConfig | undefined {
  if (!reader.isSet('KAFKA_SASL_MECHANISM')) {
    const given = ['KAFKA_SASL_USERNAME', 'KAFKA_SASL_PASSWORD'].find((name) => reader.isSet(name));
    if (given !== undefined) {
      reader.fail(
        'KAFKA_SASL_MECHANISM',
        `required when ${given} is set: one of ${SASL_MECHANISMS.join(', ')}`,
      );
    }
    return undefined;
  }
  const mechanism = reader.read('KAFKA_SASL_MECHANISM', choice(SASL_MECHANISMS));
  const username = reader.read('KAFKA_SASL_USERNAME', text);
  const password = reader.read('KAFKA_SASL_PASSWORD', text);
  if (username === undefined)
    reader.fail('KAFKA_SASL_USERNAME', 'required when KAFKA_SASL_MECHANISM is set');
  if (password === undefined)
    reader.fail('KAFKA_SASL_PASSWORD', 'required when KAFKA_SASL_MECHANISM is set');
  if (mechanism === undefined || username === undefined || password === undefined) return undefined;
  return { mechanism, username, password };
}
