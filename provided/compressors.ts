// Lesson 09's compress and decompress (exercise 1: three algorithms, each
// bounded, on the thread pool for large values), given to its compressedCodec
// (exercise 2) so that you can start at either.
export { algorithms, compress, decompress, type Algorithm, type CompressOptions, type DecompressOptions } from '../solutions/09-advanced-techniques/compressors.js';
