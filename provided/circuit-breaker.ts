// Lesson 08's CircuitBreaker (exercise 5), given to the CopyStore (exercise 8)
// that reads Redis through it, so that you can start at any exercise.
export { CircuitBreaker, CircuitOpenError, type BreakerState, type CircuitBreakerOptions } from '../solutions/08-best-practices/circuit-breaker.js';
