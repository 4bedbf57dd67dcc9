import { describe, expect, it, vi } from 'vitest';
import { LoadGate } from '@kata/08-best-practices/load-gate.js';
import { expectRefusal } from '../support/refusal.js';
import { heldLoads, settle } from './gate-helpers.js';

describe('LoadGate', () => {
  it('shares one load among 100 concurrent callers of a key, and hands its result to each', async () => {
    const gate = new LoadGate({ maxConcurrent: 8 });
    const loads = heldLoads();
    const load = vi.fn(loads.load('row 1'));
    const calls = Array.from({ length: 100 }, () => gate.run('user:1', load));
    await settle();
    expect(load).toHaveBeenCalledTimes(1);
    loads.releaseAll();
    expect(await Promise.all(calls)).toEqual(Array(100).fill('row 1'));
  });

  it('runs at most maxConcurrent loads at once over all keys; the others wait their turn, and all are answered', async () => {
    const gate = new LoadGate({ maxConcurrent: 4 });
    const loads = heldLoads();
    const calls = Array.from({ length: 20 }, (_, i) => gate.run(`user:${i}`, loads.load(`row ${i}`)));
    await settle();
    expect(loads.running).toBe(4); // the other 16 wait for a slot
    while (loads.running > 0) {
      loads.releaseOne();
      await settle();
      expect(loads.running).toBeLessThanOrEqual(4);
    }
    expect(await Promise.all(calls)).toEqual(Array.from({ length: 20 }, (_, i) => `row ${i}`));
    expect(loads.most).toBe(4);
  });

  it('does not share a failed load: its callers get the error, the next call loads again, and its slot is free', async () => {
    const gate = new LoadGate({ maxConcurrent: 1 });
    const hiccup = new Error('database hiccup');
    await expect(gate.run('user:1', () => Promise.reject(hiccup))).rejects.toBe(hiccup);
    await expect(gate.run('user:1', async () => 'row 1')).resolves.toBe('row 1');
    await expect(gate.run('user:2', async () => 'row 2')).resolves.toBe('row 2');
  });

  it('refuses a maxConcurrent that is not a whole number ≥ 1 (RangeError)', async () => {
    await expectRefusal(() => new LoadGate({ maxConcurrent: 0 }), RangeError, 'maxConcurrent');
    await expectRefusal(() => new LoadGate({ maxConcurrent: 1.5 }), RangeError, 'maxConcurrent');
  });
});
