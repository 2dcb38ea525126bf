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

/** The INSERT of `entity`'s set columns, rehearsed (see `rehearsalSql`), and its values. */
function rehearsedInsert<T extends ObjectLiteral>(
  repository: Repository<T>,
  entity: T,
): { sql: string; values: unknown[] } {
  const driver = repository.manager.connection.driver;
  const columns = repository.metadata.columns.filter(
    (c) => !c.isVirtual && c.getEntityValue(entity) !== undefined,
  );
  const values = columns.map((c): unknown =>
    driver.preparePersistentValue(c.getEntityValue(entity), c),
  );
  return { sql: rehearsalSql(repository, columns), values };
}

/** `repository.insert(entity)`'s INSERT, rehearsed: no transaction, as `insert` runs none. */
export async function rehearseInsert<T extends ObjectLiteral>(
  repository: Repository<T>,
  entity: T,
): Promise<void> {
  const { sql, values } = rehearsedInsert(repository, entity);
  await repository.query(sql, values);
}

/**
 * `repository.save(entity)`'s INSERT, rehearsed (see `rehearsalSql`) in a
 * transaction as `save` runs its own, with what `save` reads back of the row (the
 * columns the database fills in: by RETURNING where the driver has it, else by a
 * SELECT of the new id, here one no row has).
 */
export async function rehearseSave<T extends ObjectLiteral>(
  repository: Repository<T>,
  entity: T,
): Promise<void> {
  const { metadata } = repository;
  const driver = repository.manager.connection.driver;
  const insert = rehearsedInsert(repository, entity);
  const returning = driver.isReturningSqlSupported('insert');
  // Without RETURNING, the driver hands back the generated id itself (as `save` knows).
  const filled = metadata.getInsertionReturningColumns().filter((c) => returning || !c.isGenerated);
  const sql =
    insert.sql +
    (returning && filled.length > 0
      ? ` RETURNING ${filled.map((c) => driver.escape(c.databaseName)).join(', ')}`
      : '');
  await repository.manager.transaction(async (manager) => {
    await manager.query(sql, insert.values);
    if (returning || filled.length === 0) return;
    const nobody = Object.fromEntries(metadata.primaryColumns.map((c) => [c.propertyPath, 0]));
    await manager
      .createQueryBuilder()
      .select(metadata.primaryColumns.map((c) => `${metadata.targetName}.${c.propertyPath}`))
      .addSelect(filled.map((c) => `${metadata.targetName}.${c.propertyPath}`))
      .from(metadata.target, metadata.targetName)
      .where(nobody)
      .setOption('create-pojo')
      .getMany();
  });
}
