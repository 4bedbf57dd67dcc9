// Lesson 10's single flight, given to the lessons that load behind a cache (11's
// two tiers): concurrent misses of one key share one load.
export { LoadTimeoutError, SingleFlight } from '../solutions/10-stampede/single-flight.js';
