import { describe, expect, it } from 'vitest';
import { CodecError } from '../../provided/codec.js';

describe('CodecError', () => {
  it('is an Error named CodecError whose message starts with the codec, and which keeps the codec and the cause', () => {
    const cause = new SyntaxError('bad');
    const error = new CodecError('json', 'the bytes are not JSON', { cause });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('CodecError');
    expect(error.message).toBe('json codec: the bytes are not JSON');
    expect(error.codec).toBe('json');
    expect(error.cause).toBe(cause);
  });
});
