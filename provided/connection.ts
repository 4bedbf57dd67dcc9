// Lesson 03's connection, given to the lessons that build on it:
// - retryDelay: capped exponential reconnect delays with full jitter (06's cluster client);
// - createRedis / closeRedis: a client that survives a Redis that is down, and
//   a clean shutdown whatever state it is in (07's dependency).
export {
  closeRedis,
  createRedis,
  retryDelay,
  type BackoffOptions,
  type CreateRedisOptions,
} from '../solutions/03-redis-caching/connection.js';
