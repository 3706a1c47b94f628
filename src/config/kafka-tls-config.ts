/**
 * TLS towards the brokers. With `KAFKA_BROKERS`, TLS is on when `KAFKA_SSL` says so or any
 * certificate variable is set; with `KAFKA_URL`, its scheme decides. Certificates come from
 * the generic variables, else (with `KAFKA_URL` only) from Heroku's.
 */
import type { EnvReader } from './env-reader.js';
import { flag } from './env-values.js';
import { CONFIG_DEFAULTS, type KafkaTlsConfig } from './gateway-config.js';
import { certificatesPem, keyMatchesCertificate, privateKeyPem } from './pem.js';

export const TLS_VARIABLES = [
  'KAFKA_SSL',
  'KAFKA_SSL_CA',
  'KAFKA_SSL_CERT',
  'KAFKA_SSL_KEY',
  'KAFKA_SSL_REJECT_UNAUTHORIZED',
  'KAFKA_SSL_VERIFY_HOSTNAME',
];

/** The generic variable when set, else its Heroku counterpart (only with `KAFKA_URL`). */
function pick(
  reader: EnvReader,
  generic: string,
  herokuName: string,
  heroku: boolean,
): string | undefined {
  if (reader.isSet(generic)) {
    reader.ignore(herokuName);
    return generic;
  }
  return heroku && reader.isSet(herokuName) ? herokuName : undefined;
}

/**
 * @param urlTls the `KAFKA_URL` scheme's say (true for kafka+ssl://); undefined with `KAFKA_BROKERS`,
 *   where TLS is on when `KAFKA_SSL` says so or any certificate variable is set.
 */
export function readKafkaTls(
  reader: EnvReader,
  heroku: boolean,
  urlTls: boolean | undefined,
): KafkaTlsConfig | undefined {
  const caName = pick(reader, 'KAFKA_SSL_CA', 'KAFKA_TRUSTED_CERT', heroku);
  const certName = pick(reader, 'KAFKA_SSL_CERT', 'KAFKA_CLIENT_CERT', heroku);
  const keyName = pick(reader, 'KAFKA_SSL_KEY', 'KAFKA_CLIENT_CERT_KEY', heroku);
  const sslFlag = reader.read('KAFKA_SSL', flag);
  const material = [caName, certName, keyName].filter((name) => name !== undefined);

  let enabled: boolean;
  if (urlTls !== undefined) {
    enabled = urlTls;
    if (sslFlag !== undefined && sslFlag !== urlTls) {
      reader.fail(
        'KAFKA_SSL',
        `is ${sslFlag} but KAFKA_URL uses ${urlTls ? 'kafka+ssl://' : 'kafka://'}`,
      );
    }
  } else {
    enabled = sslFlag ?? material.length > 0;
    if (sslFlag === false && material[0] !== undefined) {
      reader.fail('KAFKA_SSL', `is false but ${material[0]} is set`);
    }
  }
  if (!enabled) {
    // Heroku private spaces may give kafka:// URLs while the certificate variables stay set.
    reader.ignore(
      ...TLS_VARIABLES.filter((name) => name !== 'KAFKA_SSL'),
      'KAFKA_TRUSTED_CERT',
      'KAFKA_CLIENT_CERT',
      'KAFKA_CLIENT_CERT_KEY',
    );
    return undefined;
  }

  const ca = caName === undefined ? undefined : reader.read(caName, certificatesPem);
  const cert = certName === undefined ? undefined : reader.read(certName, certificatesPem);
  const key = keyName === undefined ? undefined : reader.read(keyName, privateKeyPem);
  const fromHeroku = certName === 'KAFKA_CLIENT_CERT' || keyName === 'KAFKA_CLIENT_CERT_KEY';
  if (certName !== undefined && keyName === undefined) {
    reader.fail(
      fromHeroku ? 'KAFKA_CLIENT_CERT_KEY' : 'KAFKA_SSL_KEY',
      `required when ${certName} is set`,
    );
  } else if (keyName !== undefined && certName === undefined) {
    reader.fail(
      fromHeroku ? 'KAFKA_CLIENT_CERT' : 'KAFKA_SSL_CERT',
      `required when ${keyName} is set`,
    );
  } else if (cert !== undefined && key !== undefined && !keyMatchesCertificate(cert, key)) {
    reader.fail(
      keyName ?? 'KAFKA_SSL_KEY',
      `is not the private key of the certificate in ${certName}`,
    );
  }

  return {
    ca,
    cert,
    key,
    rejectUnauthorized: reader.read(
      'KAFKA_SSL_REJECT_UNAUTHORIZED',
      flag,
      CONFIG_DEFAULTS.sslRejectUnauthorized,
    ),
    verifyHostname: reader.read('KAFKA_SSL_VERIFY_HOSTNAME', flag, caName !== 'KAFKA_TRUSTED_CERT'),
  };
}
