import { TtlCache } from '@kata/02-ttl-caches/ttl-cache.js';
import { describeTtlCore } from './ttl-cache-behaviour.js';

describeTtlCore('TtlCache', TtlCache);
