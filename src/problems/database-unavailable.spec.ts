import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { isDatabaseUnavailable } from './database-unavailable';

/** The error `work` throws (as the driver raised it). */
function thrownBy(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('isDatabaseUnavailable', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-unavailable-'));
    path = join(dir, 'db.sqlite');
    const db = new Sqlite(path);
    db.exec('CREATE TABLE t (x INTEGER)');
    db.close();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes SQLite locked elsewhere or read-only for an outage, as TypeORM wraps it too', () => {
    const holder = new Sqlite(path);
    holder.exec('BEGIN EXCLUSIVE');
    const writer = new Sqlite(path, { timeout: 0 });
    const busy = thrownBy(() => writer.exec('INSERT INTO t VALUES (1)'));
    holder.exec('ROLLBACK');
    const readonly = thrownBy(() =>
      new Sqlite(path, { readonly: true }).exec('INSERT INTO t VALUES (1)'),
    );
    expect([busy, readonly].map((error) => (error as { code: string }).code)).toEqual([
      'SQLITE_BUSY',
      'SQLITE_READONLY',
    ]);
    for (const error of [busy, readonly]) {
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(isDatabaseUnavailable({ message: 'query failed', driverError: error })).toBe(true);
    }
  });

  it('takes PostgreSQL refusing connections or writes for an outage, not a wrong query', () => {
    const refused = {
      code: '55000',
      message: 'database "g" is not currently accepting connections',
    };
    const readOnly = { code: '25006', message: 'cannot execute INSERT in a read-only transaction' };
    const terminated = {
      code: '57P01',
      message: 'terminating connection due to administrator command',
    };
    for (const error of [refused, readOnly, terminated]) {
      expect(isDatabaseUnavailable({ driverError: error })).toBe(true);
    }
    // What the rest of a save()'s transaction meets once its connection died under it.
    const released = Object.assign(
      new Error('Query runner already released. Cannot run queries anymore.'),
      { name: 'QueryRunnerAlreadyReleasedError' },
    );
    expect(isDatabaseUnavailable(released)).toBe(true);
    const wrong = [
      { code: '23505', message: 'duplicate key value violates unique constraint' },
      { code: '55000', message: 'cannot drop the currently open database' },
      { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: t.x' },
    ];
    for (const error of wrong) expect(isDatabaseUnavailable({ driverError: error })).toBe(false);
  });
});
