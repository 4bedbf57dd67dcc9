// Lesson 03's connection, given to the lessons that need a Redis client of
// their own (07): createRedis() survives a Redis that is down, and
// closeRedis() shuts one down cleanly, whatever state it is in.
export { closeRedis, createRedis, type CreateRedisOptions } from '../solutions/03-redis-caching/connection.js';
