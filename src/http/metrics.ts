import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { FanoutStats } from '../fanout/fanout.js';
import type { PublishService } from '../publish/publish-service.js';

export interface GatewayMetrics {
  readonly registry: Registry;
  readonly published: Counter<'stream'>;
  readonly publishSeconds: Histogram;
  readonly rejections: Counter<'code'>;
  /** Events sent to subscribers (one per subscriber per event). */
  readonly deliveries: Counter;
  readonly websocketConnections: Gauge;
  /** Brings the gauges that are read from the fan-out up to date (before a scrape). */
  refresh(stats: FanoutStats, ends: ReadonlyMap<string, ReadonlyMap<number, number>>): void;
}

/** The gateway's Prometheus metrics, in a registry of its own (several gateways per process in tests). */
export function createMetrics(): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'streamgate_' });
  const published = new Counter({
    name: 'streamgate_events_published_total',
    help: 'Events written to the log.',
    labelNames: ['stream'] as const,
    registers: [registry],
  });
  const publishSeconds = new Histogram({
    name: 'streamgate_publish_duration_seconds',
    help: 'Time from a publish request to its acknowledgement by the log.',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const rejections = new Counter({
    name: 'streamgate_rejections_total',
    help: 'Operations refused, by error code.',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const deliveries = new Counter({
    name: 'streamgate_deliveries_total',
    help: 'Events sent to subscribers, one per subscriber per event (over SSE and graphql-ws).',
    registers: [registry],
  });
  const websocketConnections = new Gauge({
    name: 'streamgate_websocket_connections',
    help: 'Open authenticated graphql-ws connections.',
    registers: [registry],
  });
  const subscribers = new Gauge({
    name: 'streamgate_subscriptions',
    help: 'Open subscriptions.',
    registers: [registry],
  });
  const tailReaders = new Gauge({
    name: 'streamgate_tail_readers',
    help: 'Live tail readers (one per stream in use).',
    registers: [registry],
  });
  const catchingUp = new Gauge({
    name: 'streamgate_subscriptions_catching_up',
    help: 'Subscriptions behind their tail, reading on from the hot window or the log.',
    registers: [registry],
  });
  const catchUpFetches = new Gauge({
    name: 'streamgate_catch_up_fetches',
    help: 'Catch-up fetches from the log, running or waiting their turn.',
    labelNames: ['state'] as const,
    registers: [registry],
  });
  const hotWindowBytes = new Gauge({
    name: 'streamgate_hot_window_bytes',
    help: 'Bytes of recent events the tails keep in memory for resumes.',
    registers: [registry],
  });
  const tailLag = new Gauge({
    name: 'streamgate_tail_lag_records',
    help: 'Records between the log end and the tail reader, per stream.',
    labelNames: ['stream'] as const,
    registers: [registry],
  });

  return {
    registry,
    published,
    publishSeconds,
    rejections,
    deliveries,
    websocketConnections,
    refresh(stats, ends) {
      subscribers.set(stats.subscribers);
      tailReaders.set(stats.tailReaders);
      catchingUp.set(stats.catchingUp);
      catchUpFetches.set({ state: 'running' }, stats.catchUp.running);
      catchUpFetches.set({ state: 'queued' }, stats.catchUp.queued);
      hotWindowBytes.set(stats.hotWindowBytes);
      tailLag.reset();
      for (const [stream, positions] of stats.tailPositions) {
        let lag = 0;
        for (const [partition, end] of ends.get(stream) ?? [])
          lag += Math.max(0, end - (positions.get(partition) ?? 0));
        tailLag.set({ stream }, lag);
      }
    },
  };
}

/** The publish service, counting what it writes per stream and timing each publish to its acknowledgement. */
export function instrumentPublishing(
  publishing: PublishService,
  metrics: GatewayMetrics,
): PublishService {
  return {
    async publish(principal, requests) {
      const stopTimer = metrics.publishSeconds.startTimer();
      const results = await publishing.publish(principal, requests);
      stopTimer();
      for (const result of results) metrics.published.inc({ stream: result.stream });
      return results;
    },
  };
}
