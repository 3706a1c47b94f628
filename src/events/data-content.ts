import { isUtf8 } from 'node:buffer';

/**
 * How event data bytes become a JSON payload, shared by the Kafka record decoder and the
 * CloudEvents `data_base64` form. The gateway itself only ever writes JSON; everything else here
 * exists for records written by native producers.
 */

/** `application/json`, `text/json` and any `+json` suffix (RFC 6839), parameters ignored. */
export function isJsonContentType(contentType: string): boolean {
  const semi = contentType.indexOf(';');
  const mediaType = (semi === -1 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  return (
    mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json')
  );
}

/**
 * The payload of data bytes.
 * - JSON content type, or none given (native producers rarely set one): the parsed JSON when
 *   it parses;
 * - otherwise, or when it does not parse, valid UTF-8 becomes the string itself;
 * - anything else (binary: Avro, Protobuf, compressed…) becomes `{ data_base64: '<base64>' }`,
 *   the name the CloudEvents JSON format gives binary data, so a subscriber can tell it from a
 *   text payload that merely looks like base64.
 */
export function decodeDataBytes(bytes: Buffer, contentType: string | undefined): unknown {
  if (contentType === undefined || isJsonContentType(contentType)) {
    try {
      return JSON.parse(bytes.toString('utf8'));
    } catch {
      // Not JSON after all: fall through to text or binary.
    }
  }
  if (isUtf8(bytes)) return bytes.toString('utf8');
  return { data_base64: bytes.toString('base64') };
}
