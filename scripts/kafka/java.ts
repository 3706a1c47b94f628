import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KafkaSetupError, KafkaSetupErrorCode } from './kafka-setup-error.js';

const run = promisify(execFile);

/** `$JAVA_HOME/bin/java` when JAVA_HOME is set (as Kafka's own scripts do), else `java` on PATH. */
export function javaExecutable(env: NodeJS.ProcessEnv = process.env): string {
  const home = env['JAVA_HOME'];
  return home ? join(home, 'bin', 'java') : 'java';
}

/**
 * Checks that Java is installed and new enough, so a missing JDK fails with one clear line
 * instead of a spawn error deep in the broker start. Returns the feature version (17, 21...).
 */
export async function checkJava(java: string, minVersion: number): Promise<number> {
  let output: string;
  try {
    // `java -version` prints to stderr.
    const { stderr, stdout } = await run(java, ['-version'], { timeout: 30_000 });
    output = `${stderr}${stdout}`;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'not found' : `failed: ${(error as Error).message}`;
    throw new KafkaSetupError(
      KafkaSetupErrorCode.JavaMissing,
      `Java ${minVersion}+ is needed to run the Kafka test broker, and \`${java}\` was ${why} (install a JDK or set JAVA_HOME)`,
      { cause: error },
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(output);
  // Java 8 and older report "1.8.0_x".
  const feature = match ? Number(match[1] === '1' ? match[2] : match[1]) : Number.NaN;
  if (!(feature >= minVersion)) {
    throw new KafkaSetupError(
      KafkaSetupErrorCode.JavaTooOld,
      `the Kafka test broker needs Java ${minVersion}+, but \`${java} -version\` says: ${output.split('\n')[0]?.trim()}`,
    );
  }
  return feature;
}
