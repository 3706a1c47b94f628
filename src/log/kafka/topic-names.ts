/**
 * The topic prefix, applied to every name the port sees and stripped from every name it
 * returns, so the layers above never learn it exists.
 */
export interface TopicNames {
  /** The Kafka topic of a port topic name. */
  toKafka(name: string): string;
  /** The port name of a Kafka topic, or undefined for topics outside the prefix. */
  fromKafka(kafkaTopic: string): string | undefined;
  /** A consumer group id under the prefix (Heroku's multi-tenant plans enforce this). */
  groupId(name: string): string;
}

export function createTopicNames(prefix: string): TopicNames {
  return {
    toKafka: (name) => prefix + name,
    fromKafka: (kafkaTopic) =>
      kafkaTopic.startsWith(prefix) && kafkaTopic.length > prefix.length
        ? kafkaTopic.slice(prefix.length)
        : undefined,
    groupId: (name) => prefix + name,
  };
}
