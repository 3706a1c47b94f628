import { execFile } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KafkaSetupError, KafkaSetupErrorCode, lastLines } from './kafka-setup-error.js';
import { KAFKA_RELEASE, type KafkaRelease, type MavenCoordinate } from './release.js';

/** The repository root: the cache lives beside the code, outside git (.gitignore has .cache/). */
const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Pinned so a new plugin release cannot change what gets copied. */
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:3.9.0';

export interface KafkaJarsOptions {
  /** The release to fetch. @default KAFKA_RELEASE */
  readonly release?: KafkaRelease;
  /** Cache root; jars go to `<cacheDir>/<version>/libs`. @default '<repo>/.cache/kafka' */
  readonly cacheDir?: string;
  /** The Maven executable. @default 'mvn' */
  readonly maven?: string;
  /** Progress output (a line when a download starts and when it ends). @default stderr */
  readonly log?: (line: string) => void;
}

export interface KafkaJars {
  /** The folder holding every jar; the broker's classpath is `<libDir>/*`. */
  readonly libDir: string;
  readonly jarCount: number;
  /** True when this call downloaded the jars; false when they came from the cache. */
  readonly downloaded: boolean;
}

export const DEFAULT_KAFKA_CACHE_DIR = join(REPO_ROOT, '.cache', 'kafka');

/**
 * Returns the cached broker jars of the release, downloading them with Maven the first time.
 * A complete download is renamed into place in one step, so the cache is either absent or
 * whole, and a run that finds it never starts Maven (no network on second runs).
 */
export async function ensureKafkaJars(options: KafkaJarsOptions = {}): Promise<KafkaJars> {
  const release = options.release ?? KAFKA_RELEASE;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const versionDir = join(options.cacheDir ?? DEFAULT_KAFKA_CACHE_DIR, release.version);
  const libDir = join(versionDir, 'libs');

  const cached = await countJars(libDir);
  if (cached > 0) return { libDir, jarCount: cached, downloaded: false };

  // A staging folder per process: two test runs starting at once each download, one wins.
  const staging = join(versionDir, `.staging-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const started = Date.now();
  log(
    `kafka: fetching Apache Kafka ${release.version} jars from Maven Central into ${versionDir} (first run only)...`,
  );
  try {
    const pom = join(staging, 'pom.xml');
    await writeFile(pom, renderPom(release));
    await runMaven(options.maven ?? 'mvn', [
      '--batch-mode',
      '--quiet',
      '-f',
      pom,
      `${DEPENDENCY_PLUGIN}:copy-dependencies`,
      '-DincludeScope=runtime',
      `-DoutputDirectory=${join(staging, 'libs')}`,
    ]);
    const jarCount = await countJars(join(staging, 'libs'));
    if (jarCount === 0) {
      throw new KafkaSetupError(KafkaSetupErrorCode.DownloadFailed, 'Maven copied no jars');
    }
    await rename(join(staging, 'libs'), libDir).catch(async (error: NodeJS.ErrnoException) => {
      // Another process finished first: its copy is as good as ours.
      if ((await countJars(libDir)) === 0) throw error;
    });
    log(
      `kafka: cached ${jarCount} jars of Kafka ${release.version} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    return { libDir, jarCount, downloaded: true };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function countJars(dir: string): Promise<number> {
  try {
    if (!(await stat(dir)).isDirectory()) return 0;
    return (await readdir(dir)).filter((name) => name.endsWith('.jar')).length;
  } catch {
    return 0;
  }
}

function runMaven(maven: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      maven,
      args,
      { maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 },
      (error, stdout, stderr) => {
        if (!error) return resolve();
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return reject(
            new KafkaSetupError(
              KafkaSetupErrorCode.MavenMissing,
              `Maven (\`${maven}\`) is needed once to download the Kafka broker jars, and it was not found (install maven)`,
              { cause: error },
            ),
          );
        }
        const output = `${stdout}\n${stderr}`;
        const firstError = output.split('\n').find((line) => line.includes('[ERROR]'));
        reject(
          new KafkaSetupError(
            KafkaSetupErrorCode.DownloadFailed,
            `downloading the Kafka broker jars with Maven failed: ${firstError?.replace('[ERROR]', '').trim() ?? error.message}`,
            { details: lastLines(output, 30), cause: error },
          ),
        );
      },
    );
  });
}

/** A throwaway pom whose only purpose is to name the broker and its logging backend. */
function renderPom(release: KafkaRelease): string {
  const exclusions = release.excludedArtifacts
    .map((ga) => {
      const [groupId, artifactId] = ga.split(':');
      return `        <exclusion><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId></exclusion>`;
    })
    .join('\n');
  const dependency = (coordinate: MavenCoordinate, extra = '') => {
    const [groupId, artifactId, version] = coordinate.split(':');
    return `    <dependency>
      <groupId>${groupId}</groupId>
      <artifactId>${artifactId}</artifactId>
      <version>${version}</version>${extra}
    </dependency>`;
  };
  const broker = dependency(
    `org.apache.kafka:kafka_2.13:${release.version}`,
    `\n      <exclusions>\n${exclusions}\n      </exclusions>`,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>streamgate.local</groupId>
  <artifactId>kafka-test-broker</artifactId>
  <version>${release.version}</version>
  <packaging>pom</packaging>
  <dependencies>
${[broker, ...release.loggingArtifacts.map((c) => dependency(c))].join('\n')}
  </dependencies>
</project>
`;
}
