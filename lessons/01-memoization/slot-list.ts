/**
 * Bonus, step 1: the order of use of numbered slots, the way the lru-cache
 * package keeps it, so that a cache built on it (step 2) needs no object per
 * entry. O(1) per operation.
 *
 * A slot is a number below `max`. The list of slots in use, from the least to
 * the most recently used, is two typed arrays allocated once in the
 * constructor: the newer and the older neighbour of each slot. The README's
 * section 5 says why, and what a typed array cannot hold.
 */
import { todo } from '../../provided/todo.js';

export class SlotList {
  readonly max: number;

  constructor(max: number) {
    // TODO: check max (a RangeError for 0, 1.5, NaN) and allocate two Uint32Array(max).
    this.max = max;
    todo('01-memoization', 'SlotList');
  }

  /** Slots in the list. */
  get size(): number {
    return todo('01-memoization', 'SlotList.size');
  }

  /** The least recently used slot: the one to evict. Meaningless while the list is empty. */
  get oldest(): number {
    return todo('01-memoization', 'SlotList.oldest');
  }

  /** A slot for a new entry, linked as the newest: a freed one if there is one, else one never used. */
  add(): number {
    return todo('01-memoization', 'SlotList.add');
  }

  /** Moves a slot of the list to the newest end: it was just used. */
  use(slot: number): void {
    todo('01-memoization', 'SlotList.use');
  }

  /** Takes a slot out of the list and keeps it for the next add(). */
  free(slot: number): void {
    todo('01-memoization', 'SlotList.free');
  }

  clear(): void {
    todo('01-memoization', 'SlotList.clear');
  }

  /** The slots from the least to the most recently used. */
  fromOldest(): IterableIterator<number> {
    return todo('01-memoization', 'SlotList.fromOldest');
  }
}
