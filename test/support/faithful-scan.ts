/**
 * ioredis-mock's SCAN breaks two promises Redis makes, and the invalidation
 * lessons depend on both:
 * - Its cursor is a position in the key list, so every key deleted mid-walk
 *   makes it skip another. Redis returns every key present for the whole walk.
 * - Its MATCH ignores backslash escapes: `user:\*` matches `user:1`.
 * This gives a mock client a SCAN that keeps them: a walk reads a snapshot of
 * the keys when it starts (cursor 0), and MATCH follows Redis's glob rules.
 */
import type { Redis } from 'ioredis';

type Scan = (cursor: string | number, ...args: Array<string | number>) => Promise<[string, string[]]>;

const WALK = 1_000_000_000; // cursor = walk id * WALK + offset into that walk's snapshot

export function withFaithfulScan(mock: Redis): Redis {
  const originalScan = mock.scan.bind(mock) as unknown as Scan;
  const walks = new Map<number, string[]>();
  let nextWalk = 1;

  const snapshot = async (): Promise<string[]> => {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, page] = await originalScan(cursor, 'COUNT', 10_000); // no deletions happen during this loop
      cursor = next;
      for (const key of page) keys.add(key);
    } while (cursor !== '0');
    return [...keys];
  };

  const scan: Scan = async (cursorArg, ...args) => {
    let pattern = '*';
    let count = 10;
    for (let i = 0; i < args.length; i += 2) {
      const option = String(args[i]).toUpperCase();
      if (option === 'MATCH') pattern = String(args[i + 1]);
      else if (option === 'COUNT') count = Number(args[i + 1]);
      else return originalScan(cursorArg, ...args); // TYPE and others: the mock's own
    }
    const cursor = Number(cursorArg);
    let walk = Math.floor(cursor / WALK);
    let offset = cursor % WALK;
    if (cursor === 0) {
      walk = nextWalk++;
      walks.set(walk, await snapshot());
    }
    const keys = walks.get(walk) ?? [];
    const page = keys.slice(offset, offset + count);
    offset += count;
    const done = offset >= keys.length;
    if (done) walks.delete(walk);
    const matcher = globToRegExp(pattern);
    const alive = await Promise.all(page.map((key) => mock.exists(key)));
    const found = page.filter((key, i) => alive[i] === 1 && matcher.test(key));
    return [done ? '0' : String(walk * WALK + offset), found];
  };
  (mock as unknown as { scan: Scan }).scan = scan;
  return mock;
}

/** Redis glob (stringmatchlen): * ? [abc] [^a-z] and \ to escape, whole-string match. */
export function globToRegExp(glob: string): RegExp {
  const escape = (c: string) => c.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length) source += escape(glob[++i]!);
    else if (c === '*') source += '[\\s\\S]*';
    else if (c === '?') source += '[\\s\\S]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) {
        source += escape(c);
        continue;
      }
      let body = glob.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      let set = '';
      for (let j = 0; j < body.length; j++) {
        if (body[j] === '\\' && j + 1 < body.length) set += escape(body[++j]!);
        else if (body[j + 1] === '-' && j + 2 < body.length) {
          set += `${escape(body[j]!)}-${escape(body[j + 2]!)}`;
          j += 2;
        } else set += escape(body[j]!);
      }
      source += `[${negate ? '^' : ''}${set}]`;
      i = end;
    } else source += escape(c);
  }
  return new RegExp(`^${source}$`);
}
