import { describe, expect, it } from 'vitest';
import { Fills } from '@kata/07-web-caching/coalescing.js';

describe('Fills: the corners', () => {
  it('gives the waiters nothing when the fill fails, and the leader its error', async () => {
    const fills = new Fills<string>();
    let fail!: (error: Error) => void;
    const leader = fills.run('page', () => new Promise<string>((_, reject) => (fail = reject)));
    const waiter = fills.run('page', async () => 'never runs');
    fail(new Error('the handler failed'));
    await expect(leader).rejects.toThrow('the handler failed');
    expect(await waiter).toEqual({ leader: false, value: undefined });
  });

  it('forgets a failed fill, so that the next caller runs its own', async () => {
    const fills = new Fills<string>();
    await fills.run('page', async () => {
      throw new Error('once');
    }).catch(() => {});
    expect(await fills.run('page', async () => 'again')).toEqual({ leader: true, value: 'again' });
  });

  it('voids only the keys it is given, and does nothing for a key with no fill in flight', async () => {
    const fills = new Fills<string>();
    fills.void(['nothing']);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const a = fills.run('a', async (voided) => {
      await held;
      return voided() ? 'voided' : 'kept';
    });
    fills.void(['b']);
    release();
    expect((await a).value).toBe('kept');
  });

  it('does not void the next fill of a key: a write voids only what was in flight when it succeeded', async () => {
    const fills = new Fills<string>();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const first = fills.run('page', async () => {
      await held;
      return 'first';
    });
    fills.void(['page']);
    release();
    await first;
    expect(await fills.run('page', async (voided) => (voided() ? 'voided' : 'fresh'))).toEqual({ leader: true, value: 'fresh' });
  });
});
