import { describe, expect, it } from 'vitest';
import { Fills } from '@kata/07-web-caching/coalescing.js';

/** A promise and the function that settles it: a fill that ends when the spec says so. */
function gate<T>() {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

describe('Fills: concurrent misses of one key run once', () => {
  it('runs the fill once for 20 concurrent callers of one key; the others get what it gave', async () => {
    const fills = new Fills<string>();
    let runs = 0;
    const { promise, open } = gate<string>();
    const all = Array.from({ length: 20 }, () => fills.run('page', async () => {
      runs++;
      return promise;
    }));
    open('the page');
    const results = await Promise.all(all);
    expect(runs).toBe(1);
    expect(results.filter((r) => r.leader)).toHaveLength(1);
    expect(results.map((r) => r.value)).toEqual(Array(20).fill('the page'));
  });

  it('runs the fills of different keys side by side', async () => {
    const fills = new Fills<string>();
    const results = await Promise.all(['a', 'b'].map((key) => fills.run(key, async () => key)));
    expect(results).toEqual([{ leader: true, value: 'a' }, { leader: true, value: 'b' }]);
  });

  it('runs a new fill for a key once the last one is done (nothing is cached here: it only shares what is in flight)', async () => {
    const fills = new Fills<number>();
    let runs = 0;
    await fills.run('page', async () => ++runs);
    expect(await fills.run('page', async () => ++runs)).toEqual({ leader: true, value: 2 });
  });

  it('lets a write void a fill in flight: the fill can tell, and the waiters get nothing', async () => {
    const fills = new Fills<string>();
    const { promise, open } = gate<void>();
    let voidedSeen: boolean | undefined;
    const leader = fills.run('page', async (voided) => {
      await promise;
      voidedSeen = voided();
      return 'read before the write';
    });
    const waiter = fills.run('page', async () => 'never runs');
    fills.void(['page']);
    open();
    expect((await leader).leader).toBe(true);
    expect(voidedSeen).toBe(true);
    expect(await waiter).toEqual({ leader: false, value: undefined });
  });
});
