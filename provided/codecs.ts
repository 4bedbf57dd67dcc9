// Lesson 03's codecs, given to the lessons that build on them (09's
// compressedCodec): values to bytes and back, where bytes a codec did not
// write raise a CodecError instead of turning into a value.
export { CodecError, jsonCodec, msgpackCodec, type Codec } from '../solutions/03-redis-caching/codecs.js';
