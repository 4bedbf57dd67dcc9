// Lesson 03's codecs, given to the lessons that store typed values (06's
// sessions, 09's compressedCodec): jsonCodec (superjson) keeps a Date a Date,
// and bytes a codec did not write raise a CodecError instead of becoming a value.
export { CodecError, jsonCodec, msgpackCodec, type Codec } from '../solutions/03-redis-caching/codecs.js';
