import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';
import { gatehouseEntities } from '../gatehouse/entities';

describe('dataSourceOptions on SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-sqlite-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function pragmas(env: Record<string, string>) {
    const config = loadConfig({ DATA_DIR: dir, ...env });
    const dataSource = new DataSource({
      ...dataSourceOptions(config, { entities: gatehouseEntities }),
      migrationsRun: false,
    });
    await dataSource.initialize();
    try {
      const [{ synchronous }] =
        await dataSource.query<{ synchronous: number }[]>('PRAGMA synchronous');
      const [{ journal_mode }] =
        await dataSource.query<{ journal_mode: string }[]>('PRAGMA journal_mode');
      return { synchronous, journal_mode };
    } finally {
      await dataSource.destroy();
    }
  }

  it('runs WAL with synchronous=NORMAL (1) by default: commits do not wait for fsync', async () => {
    expect(await pragmas({})).toEqual({ synchronous: 1, journal_mode: 'wal' });
  });

  it('syncs every commit (FULL, 2) with SQLITE_SYNCHRONOUS=full', async () => {
    expect(await pragmas({ SQLITE_SYNCHRONOUS: 'full' })).toEqual({
      synchronous: 2,
      journal_mode: 'wal',
    });
  });

  it('refuses any other SQLITE_SYNCHRONOUS', () => {
    expect(() => loadConfig({ DATA_DIR: dir, SQLITE_SYNCHRONOUS: 'off' })).toThrow(
      'SQLITE_SYNCHRONOUS must be normal or full',
    );
  });
});
