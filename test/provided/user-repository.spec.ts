import { afterEach, describe, expect, it } from 'vitest';
import { checkUser, UserRepository, type Query, type User } from '../../provided/user-repository.js';

const ada: User = { id: 1, name: 'Ada', email: 'ada@example.com' };
const open: UserRepository[] = [];
function repository(options?: ConstructorParameters<typeof UserRepository>[0]): UserRepository {
  const users = new UserRepository(options);
  open.push(users);
  return users;
}
afterEach(() => {
  for (const users of open.splice(0)) {
    try {
      users.close();
    } catch {
      // closed by the test already
    }
  }
});

describe('UserRepository (the origin database of lessons 04 on)', () => {
  it('reads back what it wrote, and null for a user it does not have', async () => {
    const users = repository();
    expect(await users.upsert(ada)).toEqual(ada);
    expect(await users.get(1)).toEqual(ada);
    expect(await users.get(2)).toBeNull();
  });

  it('upserts idempotently: the same row twice is one row, a changed row replaces it', async () => {
    const users = repository();
    await users.upsert(ada);
    await users.upsert(ada);
    await users.upsert({ ...ada, name: 'Ada L.' });
    expect(await users.count()).toBe(1);
    expect(await users.get(1)).toEqual({ ...ada, name: 'Ada L.' });
  });

  it('binds exactly the columns, so an object with extra fields is stored without them', async () => {
    const users = repository();
    await users.upsert({ ...ada, role: 'admin' } as User);
    expect(await users.get(1)).toEqual(ada);
  });

  it('upsertMany writes them all in one transaction, and all() lists them by id', async () => {
    const users = repository();
    await users.upsertMany([{ id: 3, name: 'c', email: 'c@x' }, ada, { id: 2, name: 'b', email: 'b@x' }]);
    expect((await users.all()).map((u) => u.id)).toEqual([1, 2, 3]);
    await expect(users.upsertMany([{ id: 4, name: 'd', email: 'd@x' }, { id: 5 } as User])).rejects.toThrow(TypeError);
    expect(await users.count()).toBe(3); // not even user 4: all or nothing
  });

  it('update changes only the fields it is given, and answers null for a missing user', async () => {
    const users = repository();
    await users.upsert(ada);
    expect(await users.update(1, { name: 'Countess' })).toEqual({ ...ada, name: 'Countess' });
    expect(await users.update(1, { email: 'c@example.com' })).toEqual({ id: 1, name: 'Countess', email: 'c@example.com' });
    expect(await users.update(9, { name: 'nobody' })).toBeNull();
  });

  it('delete says whether there was a user to delete', async () => {
    const users = repository();
    await users.upsert(ada);
    expect(await users.delete(1)).toBe(true);
    expect(await users.delete(1)).toBe(false);
    expect(await users.get(1)).toBeNull();
  });

  it('counts every statement (a row of upsertMany is one), and resetQueries starts again at 0', async () => {
    const users = repository();
    await users.upsertMany([ada, { id: 2, name: 'b', email: 'b@x' }]);
    expect(users.queries).toBe(2);
    await users.get(1);
    await users.count();
    expect(users.queries).toBe(4);
    users.resetQueries();
    expect(users.queries).toBe(0);
  });

  it('tells the latency hook what each statement was: its kind, its operation and its user', async () => {
    const seen: Query[] = [];
    const users = repository({ latency: (query) => void seen.push(query) });
    await users.upsert(ada);
    await users.upsertMany([ada]);
    await users.get(1);
    await users.update(1, { name: 'x' });
    await users.count();
    await users.all();
    await users.delete(1);
    expect(seen).toEqual([
      { kind: 'write', operation: 'upsert', id: 1 },
      { kind: 'write', operation: 'upsertMany' },
      { kind: 'read', operation: 'get', id: 1 },
      { kind: 'write', operation: 'update', id: 1 },
      { kind: 'read', operation: 'count' },
      { kind: 'read', operation: 'all' },
      { kind: 'write', operation: 'delete', id: 1 },
    ]);
  });

  it('holds each answer until the latency hook resolves (how a spec lines up a race without sleeping)', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const users = repository({ latency: () => held });
    let answered = false;
    const read = users.get(1).then(() => (answered = true));
    await Promise.resolve();
    expect(answered).toBe(false);
    release();
    await read;
    expect(answered).toBe(true);
  });

  it('gives each repository its own database by default (:memory:)', async () => {
    const a = repository();
    const b = repository();
    await a.upsert(ada);
    expect(await b.get(1)).toBeNull();
  });

  it('refuses an id that is not a positive integer, in every method, naming the bad id', async () => {
    const users = repository();
    for (const id of [0, -1, 1.5, Number.NaN]) {
      await expect(users.get(id)).rejects.toThrow(new TypeError(`a user id is a positive integer, got ${String(id)}`));
      await expect(users.update(id, { name: 'x' })).rejects.toThrow(TypeError);
      await expect(users.delete(id)).rejects.toThrow(TypeError);
    }
    await expect(users.upsert({ ...ada, id: 0 })).rejects.toThrow(TypeError);
  });

  it('close() closes the database: a later query fails', async () => {
    const users = repository();
    users.close();
    await expect(users.get(1)).rejects.toThrow(/not open/);
  });
});

describe('checkUser', () => {
  it('returns a well-formed user as it is', () => {
    expect(checkUser(ada)).toBe(ada);
  });

  it('refuses what is not an object, naming what it expected', () => {
    for (const value of [null, undefined, 1, 'ada']) {
      expect(() => checkUser(value)).toThrow(new TypeError('expected a user object'));
    }
  });

  it('refuses a name or an email that is not a string, naming the user', () => {
    const message = 'user 1: name and email must be strings';
    expect(() => checkUser({ id: 1, email: 'a@x' })).toThrow(new TypeError(message));
    expect(() => checkUser({ id: 1, name: 'a' })).toThrow(new TypeError(message));
    expect(() => checkUser({ id: 1, name: 7, email: 'a@x' })).toThrow(new TypeError(message));
  });
});
