/** Why a test broker could not be had; tests print `message` (one line) and fail on it. */
export const KafkaSetupErrorCode = {
  JavaMissing: 'JAVA_MISSING',
  JavaTooOld: 'JAVA_TOO_OLD',
  MavenMissing: 'MAVEN_MISSING',
  DownloadFailed: 'DOWNLOAD_FAILED',
  FormatFailed: 'FORMAT_FAILED',
  BrokerExited: 'BROKER_EXITED',
  StartTimedOut: 'START_TIMED_OUT',
  Disabled: 'DISABLED',
} as const;
export type KafkaSetupErrorCode = (typeof KafkaSetupErrorCode)[keyof typeof KafkaSetupErrorCode];

export class KafkaSetupError extends Error {
  readonly code: KafkaSetupErrorCode;
  /** Multi-line detail for a human (the tail of the broker or Maven output); not in `message`. */
  readonly details: string;
  constructor(
    code: KafkaSetupErrorCode,
    message: string,
    options: { details?: string; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'KafkaSetupError';
    this.code = code;
    this.details = options.details ?? '';
  }
}

/** The last `count` non-empty lines of a text, for error details. */
export function lastLines(text: string, count: number): string {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(-count)
    .join('\n');
}

/** The most telling line of a failed run: the last ERROR or exception line, else the last line. */
export function lastErrorLine(log: string): string {
  const lines = log.split('\n');
  const telling = lines.filter((line) => / ERROR |Exception|Error:/.test(line)).at(-1);
  return (telling ?? lines.at(-1) ?? '').trim().slice(0, 300);
}
