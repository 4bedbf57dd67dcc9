// Is this Node new enough for the kata? One answer for the runner (plain JS, before
// TypeScript support is on) and for `npm run doctor`, read from package.json's engines.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

/** The lowest Node the kata supports, from `engines.node` (">=22.22"). @type {string} */
export const minimumNode = pkg.engines.node.replace(/^>=\s*/, '');

/** The LTS lines CI runs the kata on: the whole suite on the newest, npm ci and npm test on the others. */
export const testedLines = '22, 24 and 26 tested';

/** @param {string} version */
const parts = (version) => version.replace(/^v/, '').split('.').map(Number);

/**
 * null when `version` (default: this process's) is supported; otherwise what to do, in a sentence.
 * @param {string} [version]
 * @returns {string | null}
 */
export function nodeProblem(version = process.versions.node) {
  const [major, minor = 0] = parts(version);
  const [minMajor, minMinor = 0] = parts(minimumNode);
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return null;
  return (
    `cachelings needs Node.js ${minimumNode} or newer (${testedLines}); this is ${version}. ` +
    'Install the current LTS: nvm install --lts, fnm install --lts, or the installer from nodejs.org.'
  );
}
