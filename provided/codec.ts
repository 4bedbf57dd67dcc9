// What every codec of lesson 03 implements, and the error for bytes it did
// not write. Given: the exercise is the codecs themselves.

export interface Codec {
  /** Shown in errors: 'json', 'msgpack'. */
  readonly name: string;
  /** Throws a TypeError for a value it cannot store faithfully. */
  encode(value: unknown): Buffer;
  /** Throws a CodecError for bytes it did not write. */
  decode(bytes: Buffer): unknown;
}

/** Bytes that are not a value this codec wrote: garbage, another codec's bytes, a truncated write. */
export class CodecError extends Error {
  override name = 'CodecError';
  constructor(
    readonly codec: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${codec} codec: ${message}`, options);
  }
}
