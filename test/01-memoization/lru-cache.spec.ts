import { LruCache } from '@kata/01-memoization/lru-cache.js';
import { describeLruCache } from './lru-cache-behaviour.js';

describeLruCache('LruCache', LruCache);
