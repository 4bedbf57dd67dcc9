import { TtlCache } from '@kata/02-ttl-caches/ttl-cache.js';
import { describeTtlDeep } from './ttl-cache-behaviour.js';

describeTtlDeep('TtlCache', TtlCache);
