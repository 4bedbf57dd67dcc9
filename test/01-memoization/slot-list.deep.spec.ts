import { describe, expect, it } from 'vitest';
import { SlotList } from '@kata/01-memoization/slot-list.js';

describe('SlotList, deeper: the ends of the list', () => {
  it('frees the oldest, the newest and the middle slot, keeping the order of the rest', () => {
    const list = new SlotList(5);
    const [a, b, c, d, e] = Array.from({ length: 5 }, () => list.add());
    list.free(c!);
    list.free(a!);
    list.free(e!);
    expect([...list.fromOldest()]).toEqual([b, d]);
    expect(list.oldest).toBe(b);
    list.use(b!);
    expect([...list.fromOldest()]).toEqual([d, b]);
  });

  it('keeps a lone slot in order: the one slot left after a free is the oldest and the newest, and use() leaves it so', () => {
    const list = new SlotList(2);
    const [a, b] = [list.add(), list.add()];
    list.free(a!);
    list.use(b!);
    expect(list.oldest).toBe(b);
    expect([...list.fromOldest()]).toEqual([b]);
    const again = list.add();
    expect([...list.fromOldest()]).toEqual([b, again]);
  });

  it('empties and refills: after every slot is freed, or after clear(), add() starts a new list', () => {
    const list = new SlotList(2);
    const [a, b] = [list.add(), list.add()];
    list.free(a!);
    list.free(b!);
    expect([...list.fromOldest()]).toEqual([]);
    const [c, d] = [list.add(), list.add()];
    expect([...list.fromOldest()]).toEqual([c, d]);
    list.clear();
    expect(list.size).toBe(0);
    expect([...list.fromOldest()]).toEqual([]);
    const [e, f] = [list.add(), list.add()];
    expect(new Set([e, f]).size).toBe(2);
    expect([...list.fromOldest()]).toEqual([e, f]);
  });

  it('hands out the slots free() gave back, last freed first, before slots never used', () => {
    const list = new SlotList(4);
    const [a, b] = [list.add(), list.add()];
    list.free(a!);
    list.free(b!);
    expect([list.add(), list.add(), list.add()]).toEqual([b, a, 2]);
  });

  it('refuses an add() when every slot is in use: the caller must reuse the oldest', () => {
    const list = new SlotList(1);
    list.add();
    expect(() => list.add()).toThrow(new RangeError('SlotList: all 1 slots are in use; reuse the oldest'));
  });

  it('says what was wrong with max', () => {
    expect(() => new SlotList(Number.NaN)).toThrow(new RangeError('SlotList: max must be a positive integer, got NaN'));
  });
});
