import { LruCache } from '@kata/01-memoization/lru-cache.js';
import { describeLruCore } from './lru-cache-behaviour.js';

describeLruCore('LruCache', LruCache);
