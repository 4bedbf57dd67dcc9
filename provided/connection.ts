// Lesson 03's reconnect backoff, given to the lessons that build clients on it
// (06's cluster client): capped exponential delays with full jitter.
export { retryDelay, type BackoffOptions } from '../solutions/03-redis-caching/connection.js';
