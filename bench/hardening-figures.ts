/**
 * The "figure after" of each finding of the hardening review (issue 15), measured as an outside
 * client would: gateway processes, real HTTP, WebSockets and SSE, and Kafka where it matters.
 *
 *   npx tsx bench/hardening-figures.ts [redos,sockets,throttle,amplification,fairness,schemas,
 *                                       introspection,token-limits,lock,oracle]
 *
 * KAFKA_BROKERS runs the amplification and fairness parts on Kafka (the catch-up path reads the
 * brokers); otherwise they run on the embedded log. Prints one JSON object per part, with the
 * load average; asserts nothing. The gateway's event-loop stalls come from its own monitor
 * (`streamgate_nodejs_eventloop_lag_max_seconds`, reset at each scrape).
 */
import { loadavg } from 'node:os';
import { hardeningParts } from './hardening-parts.js';

const wanted = (process.argv[2] ?? Object.keys(hardeningParts).join(',')).split(',');

for (const name of wanted) {
  const part = hardeningParts[name];
  if (!part) throw new Error(`unknown part ${name}; known: ${Object.keys(hardeningParts)}`);
  const loadBefore = loadavg()[0]!.toFixed(2);
  const figures = await part();
  console.log(
    JSON.stringify({ part: name, loadBefore, loadAfter: loadavg()[0]!.toFixed(2), ...figures }),
  );
}
