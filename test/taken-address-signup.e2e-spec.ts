import { jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { PASSWORD_HASHERS, type PasswordHasher } from '../src/accounts/hashers/password-hasher';
import { User } from '../src/accounts/user.entity';
import { UsersService } from '../src/accounts/users.service';
import { startTestApp, type TestApp } from './support/test-app';

// Timing is measured by `npm run bench:enumeration`; here, that the work is done by
// construction: a taken address hashes the submitted password as a new one does, and
// still writes nothing and answers as before.
describe('sign-up with a taken address does the work a new address does', () => {
  let t: TestApp;
  let hash: ReturnType<typeof jest.spyOn>;
  const userCount = () => t.app.get(DataSource).getRepository(User).count();

  beforeAll(async () => {
    t = await startTestApp();
    await t.app
      .get(UsersService)
      .create({ email: 'taken@example.com', username: 'taken', password: 'taken-secret-pass' });
    // The preferred hasher itself, called through: what a new address's sign-up hashes with.
    const [preferred] = t.app.get<PasswordHasher[]>(PASSWORD_HASHERS);
    hash = jest.spyOn(preferred, 'hash');
  });
  afterAll(() => t.close());
  beforeEach(() => hash.mockClear());

  it.each([
    [
      'dj-rest-auth /auth/registration/ (address)',
      '/auth/registration/',
      { email: 'TAKEN@example.com', password1: 'Zebra-Quartz-71', password2: 'Zebra-Quartz-71' },
      '{"email":["Email address already in use"]}',
    ],
    [
      'dj-rest-auth /auth/registration/ (username)',
      '/auth/registration/',
      {
        username: 'taken',
        email: 'fresh@example.com',
        password1: 'Zebra-Quartz-71',
        password2: 'Zebra-Quartz-71',
      },
      '{"username":["A user with that username already exists."]}',
    ],
    [
      'fastapi-users /auth/register',
      '/auth/register',
      { email: 'taken@example.com', password: 'Zebra-Quartz-71' },
      '{"detail":"REGISTER_USER_ALREADY_EXISTS"}',
    ],
  ])(
    '%s hashes the submitted password, writes nothing, answers as before',
    async (_name, path, body, answer) => {
      const before = await userCount();
      const res = await t.http.post(path, body);
      expect([res.status, res.text]).toEqual([400, answer]);
      expect(hash.mock.calls).toEqual([['Zebra-Quartz-71']]);
      expect(await userCount()).toBe(before);
    },
  );

  /** The tables each statement of `send` INSERTs into (rehearsed ones marked), mail aside. */
  async function inserts(send: () => Promise<unknown>): Promise<string[]> {
    const logger = t.app.get(DataSource).logger;
    const seen: string[] = [];
    const spy = jest.spyOn(logger, 'logQuery').mockImplementation((sql: string) => {
      const table = /^INSERT INTO "?(\w+)"?/i.exec(sql)?.[1];
      if (table)
        seen.push(/ WHERE 1 = 0( RETURNING .*)?$/.test(sql) ? `${table} (rehearsed)` : table);
    });
    try {
      await send();
    } finally {
      spy.mockRestore();
    }
    // The confirmation mail is queued after the answer, for a new address only; the
    // audit trail is written by a timer, in batches, whatever the request.
    return seen.filter((table) => !/^(mail_outbox|auth_events)\b/.test(table));
  }

  it.each([
    [
      'dj-rest-auth /auth/registration/',
      '/auth/registration/',
      (email: string) => ({ email, password1: 'Zebra-Quartz-71', password2: 'Zebra-Quartz-71' }),
    ],
    [
      'fastapi-users /auth/register',
      '/auth/register',
      (email: string) => ({ email, password: 'Zebra-Quartz-71' }),
    ],
  ])(
    '%s: a taken address rehearses every INSERT a new one runs, writing none',
    async (_n, path, body) => {
      const fresh = await inserts(() => t.http.post(path, body(`new-${path.length}@example.com`)));
      const taken = await inserts(() => t.http.post(path, body('taken@example.com')));
      expect(fresh.length).toBeGreaterThan(0);
      expect(taken).toEqual(fresh.map((table) => `${table} (rehearsed)`));
    },
  );
});
