/**
 * The `dataschema` CloudEvents attribute as Streamgate writes it:
 * `urn:streamgate:schema:<type>:<version>`, e.g. `urn:streamgate:schema:app.created:3`.
 * A URN, not a URL, because the registry is not served over HTTP; it carries both the type and
 * the registered version so a consumer outside the gateway can tell which schema validated the
 * data. Event types never contain ':', so the last ':' separates the version.
 */

const PREFIX = 'urn:streamgate:schema:';

export function dataschemaUri(type: string, version: number): string {
  return `${PREFIX}${type}:${version}`;
}

/** The type and version named by a Streamgate dataschema URN; undefined for any other URI. */
export function parseDataschemaUri(uri: string): { type: string; version: number } | undefined {
  if (!uri.startsWith(PREFIX)) return undefined;
  const colon = uri.lastIndexOf(':');
  const type = uri.slice(PREFIX.length, colon);
  const digits = uri.slice(colon + 1);
  if (type === '' || !/^(?:0|[1-9]\d{0,8})$/.test(digits)) return undefined;
  return { type, version: Number(digits) };
}
