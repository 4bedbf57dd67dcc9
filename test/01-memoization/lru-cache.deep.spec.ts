import { LruCache } from '@kata/01-memoization/lru-cache.js';
import { describeLruDeep } from './lru-cache-behaviour.js';

describeLruDeep('LruCache', LruCache);
