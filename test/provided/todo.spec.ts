import { describe, expect, it } from 'vitest';
import { NotImplementedYet, todo } from '../../provided/todo.js';

describe('todo() (what a starter throws where the learner\'s code goes)', () => {
  it('throws a NotImplementedYet that names the missing piece, the README to read and the hint command', () => {
    let thrown: unknown;
    try {
      todo('02-ttl-caches', 'TtlCache.get');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(NotImplementedYet);
    expect(thrown).toBeInstanceOf(Error);
    const { name, message } = thrown as Error;
    expect(name).toBe('NotImplementedYet'); // what vitest prints in front of the message
    expect(message).toBe('not implemented yet: TtlCache.get: see lessons/02-ttl-caches/README.md (stuck? npm run hint 2)');
  });
});
