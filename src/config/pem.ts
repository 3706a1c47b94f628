/**
 * PEM values (`KAFKA_SSL_CA`, `KAFKA_SSL_CERT`, `KAFKA_SSL_KEY` and the Heroku ones).
 *
 * A value that starts with `-----BEGIN` is the PEM text itself (Heroku puts it there, with
 * real newlines; a literal `\n`, as some secret stores write it, is read as a newline).
 * Anything else is a path to a file holding the PEM, relative to the working directory, as
 * container secrets are mounted. The certificates and the key are parsed here, so a broken one
 * stops start-up with a line naming the variable instead of a TLS error at the first connection.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { shown } from './env-values.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

type Outcome = { pem: string } | { problem: string };

/** The PEM text of a value, read from its file if it is a path. */
function pemText(
  raw: string,
  isSecret: boolean,
): { text: string; where: string } | { problem: string } {
  const value = raw.trim();
  if (value.startsWith('-----BEGIN')) {
    return {
      text: value.includes('\n') ? value : value.replaceAll('\\n', '\n'),
      where: 'the value',
    };
  }
  try {
    return { text: readFileSync(value, 'utf8'), where: `file ${shown(value)}` };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    // A secret that is neither PEM nor a path may be a key pasted without its header: never echo it.
    if (isSecret) {
      return {
        problem: `is neither PEM text (-----BEGIN ...) nor a readable file path (${reason})`,
      };
    }
    return {
      problem: `is neither PEM text (-----BEGIN ...) nor a readable file: ${shown(value)} (${reason})`,
    };
  }
}

function blocksOf(text: string): { label: string; block: string }[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) => ({ label: match[1] ?? '', block: match[0] }));
}

/** One or more certificates (a CA bundle may hold several while a CA rotates). */
export function readCertificates(raw: string): Outcome {
  const source = pemText(raw, false);
  if ('problem' in source) return source;
  const blocks = blocksOf(source.text);
  if (blocks.length === 0) return { problem: `${source.where} holds no complete PEM block` };
  for (const [index, { label, block }] of blocks.entries()) {
    if (label !== 'CERTIFICATE') {
      return { problem: `expected PEM certificates, but ${source.where} holds a ${label} block` };
    }
    try {
      new X509Certificate(block);
    } catch {
      return {
        problem: `certificate ${index + 1} in ${source.where} is not a valid X.509 certificate`,
      };
    }
  }
  return { pem: blocks.map(({ block }) => block).join('\n') + '\n' };
}

/** One unencrypted private key. Messages never quote the key. */
export function readPrivateKey(raw: string): Outcome {
  const source = pemText(raw, true);
  if ('problem' in source) return source;
  const where = source.where === 'the value' ? 'the value' : 'the file';
  const keys = blocksOf(source.text).filter(({ label }) => label.endsWith('PRIVATE KEY'));
  const key = keys[0];
  if (key === undefined) return { problem: `${where} holds no PEM private key` };
  if (keys.length > 1)
    return { problem: `${where} holds ${keys.length} private keys; expected one` };
  if (key.label === 'ENCRYPTED PRIVATE KEY') {
    return { problem: 'is an encrypted private key; give it decrypted' };
  }
  try {
    createPrivateKey(key.block);
  } catch {
    return { problem: `${where} holds a ${key.label} block that is not a valid key` };
  }
  return { pem: key.block + '\n' };
}

function asSchema(read: (raw: string) => Outcome): z.ZodType<string, string> {
  return z.string().transform((raw, ctx) => {
    const outcome = read(raw);
    if ('pem' in outcome) return outcome.pem;
    ctx.addIssue({ code: 'custom', message: outcome.problem });
    return z.NEVER;
  });
}

/** A variable holding certificates, as PEM text or a file path. */
export const certificatesPem = asSchema(readCertificates);
/** A variable holding a private key, as PEM text or a file path. */
export const privateKeyPem = asSchema(readPrivateKey);

/** Whether `keyPem` is the private key of the first certificate in `certPem`. */
export function keyMatchesCertificate(certPem: string, keyPem: string): boolean {
  try {
    return new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
