/**
 * The Apache Kafka release the project tests against, pinned. Changing the version means
 * changing this one object (and re-running the checks in test/kafka-broker.test.ts); the
 * README section on Kafka says why this version was chosen.
 */

/** A Maven coordinate, `groupId:artifactId:version`. */
export type MavenCoordinate = `${string}:${string}:${string}`;

export interface KafkaRelease {
  /** The Kafka version on Maven Central (org.apache.kafka:kafka_2.13). */
  readonly version: string;
  /** The broker's main class in this version's core jar. */
  readonly mainClass: string;
  /** The class that formats a KRaft log directory (what `bin/kafka-storage.sh` runs). */
  readonly storageToolClass: string;
  /**
   * The logging backend the official distribution ships in `libs/` next to Kafka: the Maven
   * artifact has only slf4j-api, so without these the broker would log nothing at all.
   */
  readonly loggingArtifacts: readonly MavenCoordinate[];
  /**
   * Test-only modules that Kafka's published poms leak into the runtime scope (JUnit, the
   * ApacheDS mini-KDC); excluded so the first download stays small. `group:artifact`, `*` allowed.
   */
  readonly excludedArtifacts: readonly string[];
  /** The lowest Java feature version the broker runs on. */
  readonly minJavaVersion: number;
}

/** Log4j 2 as shipped by Kafka 4.4.0 (the version kafka-server 4.4.0 itself depends on). */
const LOG4J2_VERSION = '2.25.5';

export const KAFKA_RELEASE: KafkaRelease = {
  version: '4.4.0',
  mainClass: 'kafka.Kafka',
  storageToolClass: 'kafka.tools.StorageTool',
  // Kafka 4.x's slf4j-api is 1.7.x, so the binding is log4j-slf4j-impl (the SLF4J 1 binding),
  // not log4j-slf4j2-impl.
  loggingArtifacts: [
    `org.apache.logging.log4j:log4j-api:${LOG4J2_VERSION}`,
    `org.apache.logging.log4j:log4j-core:${LOG4J2_VERSION}`,
    `org.apache.logging.log4j:log4j-slf4j-impl:${LOG4J2_VERSION}`,
  ],
  excludedArtifacts: [
    'org.junit.jupiter:*',
    'org.junit.platform:*',
    'org.apache.directory.server:*',
    'org.apache.directory.api:*',
  ],
  minJavaVersion: 17,
};
