import type { ObjectLiteral, Repository } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';

/**
 * Equal time by construction: a request refused for something only the database
 * knows (a taken address) runs the INSERT an accepted one runs, as
 * `INSERT INTO t (…) SELECT … WHERE 1 = 0` — the same table, columns, converted
 * values, parsing, planning and index lookups, writing nothing. It is not a
 * delay tuned to a measurement, so it holds on any machine and under any load.
 */
export function rehearsalSql(
  repository: Repository<ObjectLiteral>,
  columns: readonly ColumnMetadata[],
): string {
  const driver = repository.manager.connection.driver;
  const names = columns.map((c) => driver.escape(c.databaseName));
  const parameters = columns.map((c, i) => driver.createParameter(c.propertyName, i));
  return (
    `INSERT INTO ${driver.escape(repository.metadata.tableName)} (${names.join(', ')}) ` +
    `SELECT ${parameters.join(', ')} WHERE 1 = 0`
  );
}

/**
 * `repository.save(entity)`'s INSERT, rehearsed (see `rehearsalSql`) in a
 * transaction as `save` runs its own: every column the entity sets.
 */
export async function rehearseSave<T extends ObjectLiteral>(
  repository: Repository<T>,
  entity: T,
): Promise<void> {
  const driver = repository.manager.connection.driver;
  const columns = repository.metadata.columns.filter(
    (c) => !c.isVirtual && c.getEntityValue(entity) !== undefined,
  );
  const values = columns.map((c): unknown =>
    driver.preparePersistentValue(c.getEntityValue(entity), c),
  );
  const sql = rehearsalSql(repository as Repository<ObjectLiteral>, columns);
  await repository.manager.transaction((manager) => manager.query(sql, values));
}
