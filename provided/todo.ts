/**
 * What a starter calls where the learner's code goes. The message says what is
 * missing and where the lesson explains it.
 */
export class NotImplementedYet extends Error {
  override name = 'NotImplementedYet';
}

/** @param lesson the lesson's folder, e.g. '01-memoization'; @param what the piece to write. */
export function todo(lesson: string, what: string): never {
  const number = Number.parseInt(lesson, 10);
  throw new NotImplementedYet(
    `not implemented yet: ${what}: see lessons/${lesson}/README.md (stuck? npm run hint ${number})`,
  );
}
