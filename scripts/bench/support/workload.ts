/** What the benches share: a seeded random, Zipf-distributed keys, and heap measurement. */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** mulberry32: a seeded random in [0, 1), so that every run and every contender sees the same sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * `count` draws from 0..n-1 where rank k is drawn with probability ∝ 1/(k+1)^s:
 * with s = 1 a few keys are hot and a long tail is cold, as in real traffic.
 */
export function zipfIndices(n: number, s: number, count: number, random: () => number): Int32Array {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let k = 0; k < n; k++) cumulative[k] = total += 1 / (k + 1) ** s;
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const u = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cumulative[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    out[i] = lo;
  }
  return out;
}

/**
 * The heap a structure keeps alive, in bytes: a full GC before and after
 * `build`, whose result is held until the second reading. Node only offers
 * gc() with --expose-gc; the flag can be set at run time and gc() fetched
 * from a fresh context, so `npm run bench` needs no node options.
 */
export function retainedHeapBytes(build: () => unknown): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = build();
  gc();
  const after = process.memoryUsage().heapUsed;
  if (kept === undefined) throw new Error('retainedHeapBytes: build() must return what it built');
  return after - before;
}
