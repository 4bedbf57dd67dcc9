// Lesson 11's client-side caching protocol (exercise 5), given to the step that
// builds a tracked cache on it: the subscriber's id and subscription, tracking
// turned on with a redirect, and the listener that drops what changed.
export { INVALIDATE_CHANNEL, invalidationListener, subscribeToInvalidations, trackInto } from '../solutions/11-two-tiers/tracking.js';
