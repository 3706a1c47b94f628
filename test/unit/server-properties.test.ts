import { describe, expect, it } from 'vitest';
import { renderServerProperties } from '../../scripts/kafka/server-properties.js';

function settings(text: string): Map<string, string> {
  return new Map(
    text
      .trim()
      .split('\n')
      .map((line) => {
        const at = line.indexOf('=');
        return [line.slice(0, at), line.slice(at + 1)] as const;
      }),
  );
}

const base = { dataDir: '/tmp/k', port: 9092, controllerPort: 9093 };

describe('broker server.properties', () => {
  it('tunes groups and internal topics for tests by default', () => {
    const s = settings(renderServerProperties(base));
    expect(s.get('group.initial.rebalance.delay.ms')).toBe('0');
    expect(s.get('offsets.topic.num.partitions')).toBe('1');
    expect(s.get('group.min.session.timeout.ms')).toBe('1000');
  });

  it("leaves Kafka's own group defaults in place with production defaults", () => {
    const s = settings(renderServerProperties({ ...base, defaults: 'production' }));
    expect(s.has('group.initial.rebalance.delay.ms')).toBe(false);
    expect(s.has('offsets.topic.num.partitions')).toBe(false);
    expect(s.has('transaction.state.log.num.partitions')).toBe(false);
    expect(s.has('group.min.session.timeout.ms')).toBe(false);
    // One node: replication cannot follow the production default of 3.
    expect(s.get('offsets.topic.replication.factor')).toBe('1');
  });

  it('lets explicit overrides win over either profile', () => {
    const s = settings(
      renderServerProperties({
        ...base,
        defaults: 'production',
        overrides: { 'group.initial.rebalance.delay.ms': '100' },
      }),
    );
    expect(s.get('group.initial.rebalance.delay.ms')).toBe('100');
  });
});
