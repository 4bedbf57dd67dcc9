// Lesson 08's LoadGate (exercise 7: one load per key, a few at a time), given
// to the FailSafeCache (exercise 9) so that you can start at any exercise.
export { LoadGate, type LoadGateOptions } from '../solutions/08-best-practices/load-gate.js';
