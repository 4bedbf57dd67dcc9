/**
 * Counters kept by the cache itself (source 8.3, the numbers to trust), per
 * cache name, exported in the text format Prometheus scrapes, through
 * prom-client, the standard Node client.
 *
 * Each CacheMetrics has a Registry of its own: prom-client's global default
 * registry refuses a second metric of the same name, so two caches (or two
 * tests) creating metrics there would throw.
 */
import { Counter, Histogram, Registry } from 'prom-client';
import { hitRate } from './monitoring.js';

export interface CacheCounts {
  hits: number;
  misses: number;
  /** Cache operations that failed (Redis down, a refused write, garbage under a key). */
  errors: number;
  /** Calls of the loader, i.e. database queries made for the cache. */
  loads: number;
  /** Time spent in the loader, in seconds. */
  loadSeconds: number;
  /** Reads answered with a stale copy because the cache or the loader was down. */
  stale: number;
  hitRate: number | null;
}

export class CacheMetrics {
  readonly registry = new Registry();
  readonly #hits: Counter<'cache'>;
  readonly #misses: Counter<'cache'>;
  readonly #errors: Counter<'cache'>;
  readonly #stale: Counter<'cache'>;
  readonly #loads: Histogram<'cache'>;

  constructor() {
    const registers = [this.registry];
    const labelNames = ['cache'] as const;
    this.#hits = new Counter({ name: 'cache_hits_total', help: 'Lookups answered by the cache', labelNames, registers });
    this.#misses = new Counter({ name: 'cache_misses_total', help: 'Lookups the cache could not answer', labelNames, registers });
    this.#errors = new Counter({ name: 'cache_errors_total', help: 'Cache operations that failed', labelNames, registers });
    this.#stale = new Counter({ name: 'cache_stale_served_total', help: 'Lookups answered with a stale copy', labelNames, registers });
    this.#loads = new Histogram({
      name: 'cache_load_duration_seconds',
      help: 'Time spent loading a value the cache did not have',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
  }

  hit(cache: string): void {
    this.#hits.inc({ cache: checkName(cache) });
  }

  miss(cache: string): void {
    this.#misses.inc({ cache: checkName(cache) });
  }

  error(cache: string): void {
    this.#errors.inc({ cache: checkName(cache) });
  }

  staleServed(cache: string): void {
    this.#stale.inc({ cache: checkName(cache) });
  }

  /** One call of the loader that took `seconds` (whether it succeeded or not). */
  loaded(cache: string, seconds: number): void {
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw new RangeError(`CacheMetrics.loaded: seconds is a finite number ≥ 0, got ${String(seconds)}`);
    }
    this.#loads.observe({ cache: checkName(cache) }, seconds);
  }

  /** This cache's counts so far. */
  async counts(cache: string): Promise<CacheCounts> {
    checkName(cache);
    const of = async (metric: Counter<'cache'> | Histogram<'cache'>, name?: string) => {
      const { values } = await metric.get();
      const value = values.find((v) => v.labels.cache === cache && (name === undefined || ('metricName' in v && v.metricName === name)));
      return value?.value ?? 0;
    };
    const hits = await of(this.#hits);
    const misses = await of(this.#misses);
    return {
      hits,
      misses,
      errors: await of(this.#errors),
      loads: await of(this.#loads, 'cache_load_duration_seconds_count'),
      loadSeconds: await of(this.#loads, 'cache_load_duration_seconds_sum'),
      stale: await of(this.#stale),
      hitRate: hitRate(hits, misses),
    };
  }

  /** The text a Prometheus server scrapes from GET /metrics (Content-Type: this.registry.contentType). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

function checkName(cache: string): string {
  if (typeof cache !== 'string' || cache.trim() === '') {
    throw new TypeError(`CacheMetrics: a cache name is a non-empty string, got ${JSON.stringify(cache)}`);
  }
  return cache;
}
