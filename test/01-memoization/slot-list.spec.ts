import { describe, expect, it } from 'vitest';
import { SlotList } from '@kata/01-memoization/slot-list.js';
import { expectRefusal } from '../support/refusal.js';

describe('SlotList', () => {
  it('hands out a different slot below max for each add, and lists them from the least to the most recently used', () => {
    const list = new SlotList(4);
    const slots = [list.add(), list.add(), list.add()];
    expect(new Set(slots).size).toBe(3);
    for (const slot of slots) expect(slot).toBeGreaterThanOrEqual(0), expect(slot).toBeLessThan(4);
    expect([...list.fromOldest()]).toEqual(slots);
    expect(list.size).toBe(3);
    expect(list.oldest).toBe(slots[0]);
  });

  it('use() moves a slot to the newest end, from the oldest end or the middle', () => {
    const list = new SlotList(4);
    const [a, b, c, d] = [list.add(), list.add(), list.add(), list.add()];
    list.use(b!); // the middle
    expect([...list.fromOldest()]).toEqual([a, c, d, b]);
    list.use(a!); // the oldest
    expect([...list.fromOldest()]).toEqual([c, d, b, a]);
    expect(list.oldest).toBe(c);
    list.use(a!); // already the newest
    expect([...list.fromOldest()]).toEqual([c, d, b, a]);
  });

  it('free() takes a slot out of the list, and the next add() hands that slot out again', () => {
    const list = new SlotList(3);
    const [a, b, c] = [list.add(), list.add(), list.add()];
    list.free(b!);
    expect([...list.fromOldest()]).toEqual([a, c]);
    expect(list.size).toBe(2);
    expect(list.add()).toBe(b);
    expect([...list.fromOldest()]).toEqual([a, c, b]);
  });

  it('evicting is reusing: the oldest slot, used again, becomes the newest and the next one is the oldest', () => {
    const list = new SlotList(2);
    const [a, b] = [list.add(), list.add()];
    list.use(list.oldest);
    expect([...list.fromOldest()]).toEqual([b, a]);
    expect(list.oldest).toBe(b);
  });

  it('refuses a max that is not a positive integer with a RangeError that names max', async () => {
    await expectRefusal(() => new SlotList(0), RangeError, 'max');
    await expectRefusal(() => new SlotList(2.5), RangeError, 'max');
  });
});
