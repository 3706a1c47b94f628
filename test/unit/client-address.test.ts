import { describe, expect, it } from 'vitest';
import { createClientAddressResolver } from '../../src/auth/client-address.js';

describe('createClientAddressResolver', () => {
  const behindProxies = createClientAddressResolver(['10.0.0.0/8', '::1']);

  it('is the peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const direct = createClientAddressResolver([]);
    expect(direct('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
    expect(behindProxies('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
  });

  it('takes the nearest untrusted hop, right to left, from a trusted proxy', () => {
    // The client wrote "6.6.6.6" itself; the proxy appended what it saw.
    expect(behindProxies('10.0.0.2', '6.6.6.6, 198.51.100.7, 10.0.0.9')).toBe('198.51.100.7');
    expect(behindProxies('::ffff:10.1.2.3', '198.51.100.7')).toBe('198.51.100.7');
    expect(behindProxies('::1', ['[2001:db8::1]:443', '10.0.0.3'])).toBe('2001:db8::1');
    expect(behindProxies('10.0.0.2', '198.51.100.7:5123')).toBe('198.51.100.7');
  });

  it('falls back to the leftmost hop, or the peer, when every hop is trusted', () => {
    expect(behindProxies('10.0.0.2', '10.0.0.3, 10.0.0.4')).toBe('10.0.0.3');
    expect(behindProxies('10.0.0.2', undefined)).toBe('10.0.0.2');
    expect(behindProxies('10.0.0.2', ' , ')).toBe('10.0.0.2');
  });

  it('refuses an entry that is no address or range', () => {
    expect(() => createClientAddressResolver(['lb.internal'])).toThrow(/"lb.internal"/);
    expect(() => createClientAddressResolver(['10.0.0.0/40'])).toThrow(/CIDR/);
  });
});
