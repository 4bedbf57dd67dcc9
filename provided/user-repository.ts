/**
 * The origin every pattern lesson caches: a real SQL database (SQLite, through
 * better-sqlite3), not a dictionary pretending to be one.
 *
 * It does two things a plain table would not, so that specs can watch it:
 * - it counts its queries, so a spec can say "1,000 reads cost 10 queries";
 * - it can make its answers slow (`latency`), so a spec can line up a race
 *   without sleeping: the hook is awaited after the statement has run and
 *   before its answer comes back, as over a network.
 *
 * `:memory:` by default; pass a file path when the data must outlive the
 * process (two repositories on one file are two processes sharing a database).
 */
import Database from 'better-sqlite3';

export interface User {
  /** A positive integer, the primary key. */
  id: number;
  name: string;
  email: string;
}

export type UserChanges = Partial<Omit<User, 'id'>>;

export interface Query {
  kind: 'read' | 'write';
  /** What ran, e.g. 'get', 'upsert', 'update', 'delete'. */
  operation: string;
  /** The user it was about, when there is one. */
  id?: number;
}

export interface UserRepositoryOptions {
  /** A file path, or ':memory:' (the default) for a database that lives as long as this object. */
  filename?: string;
  /** Awaited after every statement runs and before its answer is returned: a slow network, on demand. */
  latency?: (query: Query) => Promise<void> | void;
}

export class UserRepository {
  readonly #db: Database.Database;
  readonly #latency?: (query: Query) => Promise<void> | void;
  #queries = 0;
  readonly #statements;

  constructor({ filename = ':memory:', latency }: UserRepositoryOptions = {}) {
    this.#db = new Database(filename);
    this.#latency = latency;
    this.#db.exec(
      'CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT NOT NULL)',
    );
    this.#statements = {
      get: this.#db.prepare<[number], User>('SELECT id, name, email FROM users WHERE id = ?'),
      // Idempotent: the same row written twice leaves the table as written once.
      upsert: this.#db.prepare<[User], User>(
        `INSERT INTO users (id, name, email) VALUES (@id, @name, @email)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, email = excluded.email
         RETURNING id, name, email`,
      ),
      update: this.#db.prepare<[{ id: number; name: string | null; email: string | null }], User>(
        `UPDATE users SET name = coalesce(@name, name), email = coalesce(@email, email)
         WHERE id = @id RETURNING id, name, email`,
      ),
      delete: this.#db.prepare<[number]>('DELETE FROM users WHERE id = ?'),
      count: this.#db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users'),
      all: this.#db.prepare<[], User>('SELECT id, name, email FROM users ORDER BY id'),
    };
  }

  /** How many statements have run against the database (a row of upsertMany is one). */
  get queries(): number {
    return this.#queries;
  }

  resetQueries(): void {
    this.#queries = 0;
  }

  /** The user, or null when there is none. */
  async get(id: number): Promise<User | null> {
    checkId(id);
    const row = this.#statements.get.get(id) ?? null;
    return this.#answer({ kind: 'read', operation: 'get', id }, row);
  }

  /** Inserts the user or replaces the row with the same id. Safe to repeat. */
  async upsert(user: User): Promise<User> {
    const row = this.#statements.upsert.get(columnsOf(user)) as User;
    return this.#answer({ kind: 'write', operation: 'upsert', id: user.id }, row);
  }

  /** Upserts every user in one transaction: all of them are written, or none. */
  async upsertMany(users: readonly User[]): Promise<void> {
    const rows = users.map(columnsOf);
    this.#db.transaction(() => {
      for (const row of rows) this.#statements.upsert.run(row);
    })();
    this.#queries += users.length - 1; // #answer counts one
    return this.#answer({ kind: 'write', operation: 'upsertMany' }, undefined);
  }

  /** Changes the given fields; the updated user, or null when there is no such user. */
  async update(id: number, changes: UserChanges): Promise<User | null> {
    checkId(id);
    const row = this.#statements.update.get({ id, name: changes.name ?? null, email: changes.email ?? null }) ?? null;
    return this.#answer({ kind: 'write', operation: 'update', id }, row);
  }

  /** Whether there was a user to delete. */
  async delete(id: number): Promise<boolean> {
    checkId(id);
    const { changes } = this.#statements.delete.run(id);
    return this.#answer({ kind: 'write', operation: 'delete', id }, changes > 0);
  }

  async count(): Promise<number> {
    return this.#answer({ kind: 'read', operation: 'count' }, this.#statements.count.get()!.n);
  }

  /** Every user, by id. */
  async all(): Promise<User[]> {
    return this.#answer({ kind: 'read', operation: 'all' }, this.#statements.all.all());
  }

  close(): void {
    this.#db.close();
  }

  async #answer<T>(query: Query, result: T): Promise<T> {
    this.#queries++;
    await this.#latency?.(query);
    return result;
  }
}

/** Throws a TypeError at the call for anything that is not a User; returns it otherwise. */
export function checkUser(value: unknown): User {
  const user = value as User;
  if (typeof user !== 'object' || user === null) throw new TypeError('expected a user object');
  checkId(user.id);
  if (typeof user.name !== 'string' || typeof user.email !== 'string') {
    throw new TypeError(`user ${user.id}: name and email must be strings`);
  }
  return user;
}

/** Exactly the columns, so an object with extra fields still binds. */
function columnsOf(user: User): User {
  const { id, name, email } = checkUser(user);
  return { id, name, email };
}

function checkId(id: number): void {
  if (!Number.isSafeInteger(id) || id < 1) throw new TypeError(`a user id is a positive integer, got ${String(id)}`);
}
