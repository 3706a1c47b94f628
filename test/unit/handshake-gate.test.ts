import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HandshakeGate } from '../../src/http/handshake-gate.js';

/** Just what the gate reads of an upgrade's socket. */
const socket = (destroyed = false) =>
  Object.assign(new EventEmitter(), { destroyed }) as unknown as Duplex;

describe('HandshakeGate', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('runs at most its bound at once, the others in the order they came', () => {
    const gate = new HandshakeGate(2, 1000);
    const started: number[] = [];
    const done: (() => void)[] = [];
    for (let i = 0; i < 5; i++) {
      gate.admit(socket(), (finish) => {
        started.push(i);
        done.push(finish);
      });
    }
    expect(started).toEqual([0, 1]);
    expect(gate.queued).toBe(3);
    done[1]!();
    done[1]!(); // a second call passes no one else
    expect(started).toEqual([0, 1, 2]);
    done[0]!();
    expect(started).toEqual([0, 1, 2, 3]);
    expect(gate.queued).toBe(1);
  });

  it('a handshake that never finishes gives up its turn after holdMs', () => {
    const gate = new HandshakeGate(1, 1000);
    const started: number[] = [];
    gate.admit(socket(), () => started.push(0));
    gate.admit(socket(), () => started.push(1));
    vi.advanceTimersByTime(999);
    expect(started).toEqual([0]);
    vi.advanceTimersByTime(1);
    expect(started).toEqual([0, 1]);
  });

  it('skips a socket that closed while it waited', () => {
    const gate = new HandshakeGate(1, 1000);
    const started: number[] = [];
    let finish = () => {};
    gate.admit(socket(), (done) => {
      started.push(0);
      finish = done;
    });
    gate.admit(socket(true), () => started.push(1));
    gate.admit(socket(), () => started.push(2));
    finish();
    expect(started).toEqual([0, 2]);
    expect(gate.queued).toBe(0);
  });

  it('with a bound of 0 runs every handshake at once', () => {
    const gate = new HandshakeGate(0, 1000);
    const started: number[] = [];
    for (let i = 0; i < 3; i++) gate.admit(socket(), () => started.push(i));
    expect(started).toEqual([0, 1, 2]);
  });
});
