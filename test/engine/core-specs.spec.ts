/**
 * A core spec checks only what the exercise's README contract promises: an
 * error by its class and the parameter it names (expectRefusal), never by its
 * wording. Wording, and the rest of the depth, belongs in <name>.deep.spec.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lessons, specFor } from '../../manifest.js';
import { root } from '../../scripts/lib/vitest-config.js';


/** What checks an error's wording. */
const wording = [
  { what: 'toThrow with a pattern or text', pattern: /\.toThrow(?:Error)?\(\s*(?:\/|'|"|`|new RegExp|expect\.stringMatching|expect\.stringContaining|expect\.objectContaining)/ },
  { what: 'a match on an error message', pattern: /\.message\)?\s*\)?\.(?:toMatch|toBe|toEqual|toContain)\(|message:\s*expect\.string|\.toThrowErrorMatching/ },
];

export function wordingChecks(source: string): string[] {
  const found: string[] = [];
  source.split('\n').forEach((line, i) => {
    for (const { what, pattern } of wording) if (pattern.test(line)) found.push(`line ${i + 1}: ${what}: ${line.trim()}`);
  });
  return found;
}

describe('core specs', () => {
  it.each(lessons)('lesson $number: no core spec checks an error by its wording', (lesson) => {
    for (const file of lesson.files) {
      const spec = specFor(lesson, file);
      expect(wordingChecks(readFileSync(path.join(root, spec), 'utf8')), `${spec}: use expectRefusal(call, ErrorClass, 'parameter'), and move wording to the deep spec`).toEqual([]);
    }
  });

  it('finds the ways a spec checks wording', () => {
    expect(wordingChecks("expect(() => f()).toThrow(/must be positive/);")).toHaveLength(1);
    expect(wordingChecks("await expect(p).rejects.toThrow('bad key');")).toHaveLength(1);
    expect(wordingChecks("expect((error as Error).message).toMatch(/x/);")).toHaveLength(1);
    expect(wordingChecks('expect(() => f()).toThrow(RangeError);')).toEqual([]);
    expect(wordingChecks("await expectRefusal(() => f(), RangeError, 'ttl');")).toEqual([]);
  });
});
