/**
 * A Windows checkout (Git for Windows: core.autocrlf=true) or an editor that
 * saves CRLF changes nothing the kata compares: .gitattributes keeps LF in the
 * working tree, and the learner's files are compared without line endings.
 * scripts/ci/crlf-clone.sh runs the whole kata in such a clone.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findLesson } from '../../manifest.js';
import { starterContents, starterRef } from '../../scripts/lib/git.js';
import { fileFingerprints, lessonEdited, withoutLineEndings } from '../../scripts/lib/state.js';
import { root } from '../../scripts/lib/vitest-config.js';

const ref = starterRef();
const inGit = ref !== null;
const lesson = findLesson(2)!;
const dir = mkdtempSync(path.join(tmpdir(), 'cachelings-eol-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of lessons/<slug>/ with every file saved as CRLF, as a Windows editor might. */
function crlfCopy(): string {
  const lessonsDir = path.join(dir, 'lessons');
  cpSync(path.join(root, 'lessons', lesson.slug), path.join(lessonsDir, lesson.slug), { recursive: true });
  for (const file of lesson.files) {
    const full = path.join(lessonsDir, lesson.slug, file);
    writeFileSync(full, readFileSync(full, 'utf8').replace(/\r?\n/g, '\r\n'));
  }
  return lessonsDir;
}

describe('line endings', () => {
  (inGit ? it : it.skip)('.gitattributes checks out with LF what runs in a container or is compared or hashed', () => {
    const files = ['scripts/redis-local.sh', 'scripts/ci/crlf-clone.sh', '.ci/run', `lessons/${lesson.slug}/${lesson.files[0]}`, 'README.md', 'mutation/01-memoization.json', 'docker-compose.yml'];
    const attrs = execFileSync('git', ['check-attr', 'eol', 'text', '--', ...files], { cwd: root, encoding: 'utf8' });
    for (const file of files) {
      expect(attrs, file).toContain(`${file}: eol: lf`);
      expect(attrs, file).toMatch(new RegExp(`${file.replace(/[.*]/g, '\\$&')}: text: (set|auto)`));
    }
  });

  it('a fingerprint does not change when a file is saved with CRLF', () => {
    expect(fileFingerprints(lesson, crlfCopy())).toEqual(fileFingerprints(lesson));
    expect(withoutLineEndings('a\r\nb\rc\n')).toBe('a\nb\nc\n');
  });

  (inGit ? it : it.skip)('a starter saved with CRLF is not an edited one; a changed line or a deleted file is', () => {
    const shipped = starterContents(ref!, lesson.files.map((f) => `lessons/${lesson.slug}/${f}`));
    const copy = crlfCopy();
    expect(lessonEdited(lesson, shipped, copy)).toBe(false);
    const first = path.join(copy, lesson.slug, lesson.files[0]!);
    writeFileSync(first, `${readFileSync(first, 'utf8')}\r\n// mine\r\n`);
    expect(lessonEdited(lesson, shipped, copy)).toBe(true);
    rmSync(first);
    expect(lessonEdited(lesson, shipped, copy)).toBe(true);
    expect(lessonEdited(lesson, null, copy)).toBeNull(); // no git: cannot tell
  });
});
