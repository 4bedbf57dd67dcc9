import { describe, expect, it, vi } from 'vitest';
import { LoadGate } from '@kata/08-best-practices/load-gate.js';
import { heldLoads, settle } from './gate-helpers.js';

describe('LoadGate, every corner', () => {
  it('starts the waiting loads first come first served', async () => {
    const gate = new LoadGate({ maxConcurrent: 1 });
    const loads = heldLoads();
    const calls = ['a', 'b', 'c', 'd'].map((key) => gate.run(key, loads.load(key)));
    for (let i = 0; i < 4; i++) {
      await settle();
      loads.releaseOne();
    }
    await Promise.all(calls);
    expect(loads.started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('queues newcomers behind those already waiting, and hands a freed slot over rather than counting it twice', async () => {
    const gate = new LoadGate({ maxConcurrent: 2 });
    const loads = heldLoads();
    const calls = ['a', 'b', 'c'].map((key) => gate.run(key, loads.load(key)));
    await settle();
    loads.releaseOne(); // a ends: its slot goes to c, who waited
    calls.push(gate.run('d', loads.load('d')), gate.run('e', loads.load('e')));
    for (let i = 0; i < 4; i++) {
      await settle();
      expect(loads.running).toBeLessThanOrEqual(2);
      loads.releaseOne();
    }
    expect(await Promise.all(calls)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(loads.started).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(loads.most).toBe(2);
  });

  it('shares a load that is still waiting for its slot with the later callers of its key', async () => {
    const gate = new LoadGate({ maxConcurrent: 1 });
    const loads = heldLoads();
    const first = gate.run('a', loads.load('a'));
    const waiting = vi.fn(loads.load('b'));
    const calls = [gate.run('b', waiting), gate.run('b', waiting), gate.run('b', waiting)];
    await settle();
    loads.releaseOne();
    await settle();
    loads.releaseOne();
    expect(await Promise.all([first, ...calls])).toEqual(['a', 'b', 'b', 'b']);
    expect(waiting).toHaveBeenCalledTimes(1);
  });

  it('frees the slot of a load that throws at once instead of returning a promise', async () => {
    const gate = new LoadGate({ maxConcurrent: 1 });
    const throwsAtOnce = (() => {
      throw new Error('a bug in the loader');
    }) as () => Promise<string>;
    await expect(gate.run('a', throwsAtOnce)).rejects.toThrow('a bug in the loader');
    await expect(gate.run('b', async () => 'row b')).resolves.toBe('row b');
  });

  it('loads again once a load has settled: a gate, not a cache', async () => {
    const gate = new LoadGate({ maxConcurrent: 1 });
    const load = vi.fn(async () => 'row');
    await gate.run('a', load);
    await gate.run('a', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps its bound through a thousand loads that fail and succeed by turns', async () => {
    const gate = new LoadGate({ maxConcurrent: 3 });
    let running = 0;
    let most = 0;
    const load = (i: number) => async () => {
      most = Math.max(most, ++running);
      await new Promise((resolve) => setImmediate(resolve));
      running--;
      if (i % 2) throw new Error(`no ${i}`);
      return i;
    };
    const results = await Promise.allSettled(Array.from({ length: 1_000 }, (_, i) => gate.run(String(i % 50), load(i))));
    expect(most).toBe(3);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThan(0);
    await expect(gate.run('after', async () => 'still open')).resolves.toBe('still open');
  });

  it('refuses a load that is not a function with a TypeError that names the key, and says what maxConcurrent it got', async () => {
    const gate = new LoadGate({ maxConcurrent: 1 });
    expect(() => gate.run('user:1', 'row' as never)).toThrow(/LoadGate.run\(user:1\): the load must be a function, got string/);
    for (const maxConcurrent of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2' as never]) {
      expect(() => new LoadGate({ maxConcurrent }), String(maxConcurrent)).toThrow(RangeError);
    }
    expect(() => new LoadGate({ maxConcurrent: 0 })).toThrow(/LoadGate: maxConcurrent .*got 0/);
  });
});
