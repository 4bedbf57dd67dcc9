/**
 * The bonus, step 1: the order of use of numbered slots, the way lru-cache
 * (the npm package) keeps it.
 *
 * An entry of a cache built on it is a number, its slot, below `max`: what a
 * node object held (its key, its value, its neighbours) is spread over arrays
 * indexed by that number. This list keeps the neighbours: `newer[slot]` and
 * `older[slot]`, two typed arrays allocated once. No object per entry, so
 * nothing for the garbage collector to trace, and a use rewrites a few
 * integers.
 *
 * A slot number cannot be `undefined`, so the ends of the list have no "no
 * neighbour": their neighbours are stale numbers, and the ends are compared
 * with #newest and #oldest instead of read through.
 */
export class SlotList {
  readonly max: number;
  /** newer[slot]: the slot towards the newest end. */
  readonly #newer: Uint32Array;
  /** older[slot]: the slot towards the oldest end, the one evicted first. */
  readonly #older: Uint32Array;
  #newest = 0;
  #oldest = 0;
  #size = 0;
  /** Slots never handed out start here; below it, the ones free() gave back wait in #free. */
  #unused = 0;
  readonly #free: number[] = [];

  constructor(max: number) {
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`SlotList: max must be a positive integer, got ${String(max)}`);
    }
    this.max = max;
    this.#newer = new Uint32Array(max);
    this.#older = new Uint32Array(max);
  }

  /** Slots in the list. */
  get size(): number {
    return this.#size;
  }

  /** The least recently used slot: the one to evict. Meaningless while the list is empty. */
  get oldest(): number {
    return this.#oldest;
  }

  /** A slot for a new entry, linked as the newest: a freed one if there is one, else one never used. */
  add(): number {
    if (this.#size === this.max) throw new RangeError(`SlotList: all ${this.max} slots are in use; reuse the oldest`);
    const slot = this.#free.pop() ?? this.#unused++;
    if (this.#size === 0) this.#newest = this.#oldest = slot;
    else this.#linkAsNewest(slot);
    this.#size++;
    return slot;
  }

  /** Moves a slot of the list to the newest end: it was just used. */
  use(slot: number): void {
    if (slot === this.#newest) return; // linking it where it is would read its stale newer neighbour
    this.#unlink(slot);
    this.#linkAsNewest(slot);
  }

  /** Takes a slot out of the list and keeps it for the next add(). */
  free(slot: number): void {
    this.#unlink(slot);
    this.#free.push(slot);
    this.#size--;
  }

  clear(): void {
    this.#size = 0;
    this.#unused = 0;
    this.#free.length = 0;
  }

  /** The slots from the least to the most recently used. */
  *fromOldest(): IterableIterator<number> {
    let slot = this.#oldest;
    for (let left = this.#size; left > 0; left--) {
      yield slot;
      slot = this.#newer[slot];
    }
  }

  #linkAsNewest(slot: number): void {
    this.#older[slot] = this.#newest;
    this.#newer[this.#newest] = slot;
    this.#newest = slot;
  }

  #unlink(slot: number): void {
    if (slot === this.#oldest) this.#oldest = this.#newer[slot];
    else this.#newer[this.#older[slot]] = this.#newer[slot];
    if (slot === this.#newest) this.#newest = this.#older[slot];
    else this.#older[this.#newer[slot]] = this.#older[slot];
  }
}
