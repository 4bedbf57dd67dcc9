/**
 * Exercise 4 of 9: counters kept by the cache itself, per cache name, in the
 * text format Prometheus scrapes (source 8.3, the numbers to trust).
 *
 * prom-client is the standard Node client. The constructor below is how most
 * examples start; the specs create more than one CacheMetrics.
 */
import { Counter, Histogram, Registry, register } from 'prom-client';
import { hitRate } from '../../provided/hit-rate.js';
import { todo } from '../../provided/todo.js';

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
  // TODO: is prom-client's global registry the right home for these?
  readonly registry: Registry = register;
  readonly #hits: Counter<'cache'>;
  readonly #misses: Counter<'cache'>;
  readonly #errors: Counter<'cache'>;
  readonly #stale: Counter<'cache'>;
  readonly #loads: Histogram<'cache'>;

  constructor() {
    const labelNames = ['cache'] as const;
    this.#hits = new Counter({ name: 'cache_hits_total', help: 'Lookups answered by the cache', labelNames });
    this.#misses = new Counter({ name: 'cache_misses_total', help: 'Lookups the cache could not answer', labelNames });
    this.#errors = new Counter({ name: 'cache_errors_total', help: 'Cache operations that failed', labelNames });
    this.#stale = new Counter({ name: 'cache_stale_served_total', help: 'Lookups answered with a stale copy', labelNames });
    this.#loads = new Histogram({
      name: 'cache_load_duration_seconds',
      help: 'Time spent loading a value the cache did not have',
      labelNames,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
    });
  }

  hit(cache: string): void {
    // TODO: hit, miss, error and staleServed count one for this cache name (checked: a non-empty string).
    todo('08-best-practices', `CacheMetrics.hit(${cache})`);
  }

  miss(cache: string): void {
    todo('08-best-practices', `CacheMetrics.miss(${cache})`);
  }

  error(cache: string): void {
    todo('08-best-practices', `CacheMetrics.error(${cache})`);
  }

  staleServed(cache: string): void {
    todo('08-best-practices', `CacheMetrics.staleServed(${cache})`);
  }

  /** One call of the loader that took `seconds` (whether it succeeded or not). */
  loaded(cache: string, seconds: number): void {
    todo('08-best-practices', `CacheMetrics.loaded(${cache}, ${seconds})`);
  }

  /** This cache's counts so far (zeros for a name never counted). */
  async counts(cache: string): Promise<CacheCounts> {
    void hitRate;
    return todo('08-best-practices', `CacheMetrics.counts(${cache})`);
  }

  /** The text a Prometheus server scrapes from GET /metrics (Content-Type: this.registry.contentType). */
  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
