/**
 * A gateway with history to catch up on: six streams (six partitions each) of events without a
 * tenant, for the amplification and fairness figures. On Kafka when KAFKA_BROKERS is set, where
 * catching up reads the brokers; otherwise on the embedded log.
 */
import { graphqlOk, publishBatch } from '../test/support/clients.js';
import { startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';

export interface History {
  readonly gateway: GatewayProcess;
  readonly log: 'kafka' | 'embedded';
  readonly streams: string[];
  readonly perStream: number;
  readonly describe: string;
  stop(): Promise<void>;
}

const STREAMS = 6;
const BATCH = 200;

export async function startHistory(
  perStream = Number(process.env['HISTORY_EVENTS'] ?? 2000),
  eventBytes = Number(process.env['HISTORY_EVENT_BYTES'] ?? 2048),
): Promise<History> {
  const brokers = process.env['KAFKA_BROKERS']?.split(',');
  const gateway = await startGatewayProcess({ brokers });
  const streams = Array.from({ length: STREAMS }, (_, i) => `hist-${i}`);
  const padding = 'p'.repeat(eventBytes);
  for (const stream of streams) {
    const type = `${stream.replace('-', '')}.noted`;
    await graphqlOk(
      gateway,
      `mutation { createStream(input: { name: "${stream}", partitions: 6 }) { name }
        registerEventType(input: { type: "${type}", stream: "${stream}", schema: { type: "object" } }) { type } }`,
    );
    for (let sent = 0; sent < perStream; sent += BATCH) {
      await publishBatch(
        gateway,
        Array.from({ length: BATCH }, (_, i) => ({
          type,
          resourceId: `r${(sent + i) % 60}`,
          data: { n: sent + i, padding },
        })),
      );
    }
  }
  return {
    gateway,
    log: brokers ? 'kafka' : 'embedded',
    streams,
    perStream,
    describe: `${STREAMS} streams × ${perStream} events × ${eventBytes} B`,
    stop: async () => {
      await gateway.stop();
    },
  };
}
