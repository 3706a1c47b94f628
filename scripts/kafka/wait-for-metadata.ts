import { Kafka, logLevel } from 'kafkajs';

/**
 * Resolves once the broker answers a metadata request (kafkajs `listTopics()`), which is when a
 * KRaft broker has registered with its controller and clients can use it. Resolves 'exited' as
 * soon as `hasExited()` says the process is gone, and 'timeout' after `timeoutMs`.
 */
export async function waitForMetadata(
  brokers: string[],
  { timeoutMs, hasExited }: { timeoutMs: number; hasExited: () => boolean },
): Promise<'ready' | 'exited' | 'timeout'> {
  const kafka = new Kafka({
    clientId: 'streamgate-broker-probe',
    brokers,
    // Refused connections are expected while the JVM starts; they are not news.
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 0 },
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (hasExited()) return 'exited';
    const admin = kafka.admin({ retry: { retries: 0 } });
    try {
      await admin.connect();
      await admin.listTopics();
      return 'ready';
    } catch {
      // Not yet: try again shortly.
    } finally {
      await admin.disconnect().catch(() => {});
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return hasExited() ? 'exited' : 'timeout';
}
