import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Rows per statement: SQLite allows 32,766 parameters, PostgreSQL 65,535. */
const MAX_PARAMETERS = 30_000;

export interface BulkWriteOptions {
  /** The unique columns (property names) whose conflict is resolved… */
  conflict: string[];
  /** …by updating these properties (an upsert), or, when empty, by keeping the existing row. */
  update?: string[];
}

/**
 * Multi-row INSERT … ON CONFLICT for imports: one statement per few thousand
 * rows, values converted the way TypeORM stores them (dates, booleans), without
 * the query builder's per-parameter cost, which dominates at 100,000 rows.
 * Properties absent from the first row are left to their column defaults.
 */
export async function bulkWrite<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: readonly Partial<T>[],
  options: BulkWriteOptions,
): Promise<void> {
  if (rows.length === 0) return;
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const postgres = manager.connection.options.type === 'postgres';
  const present = new Set(rows.flatMap((row) => Object.keys(row)));
  const columns = metadata.columns.filter((c) => present.has(c.propertyName));
  const quote = (name: string) => `"${name}"`;
  const columnName = (property: string) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.name} has no property ${property}`);
    return quote(column.databaseName);
  };
  const onConflict = `ON CONFLICT (${options.conflict.map(columnName).join(', ')}) ${
    options.update?.length
      ? `DO UPDATE SET ${options.update
          .map(columnName)
          .map((c) => `${c} = excluded.${c}`)
          .join(', ')}`
      : 'DO NOTHING'
  }`;
  const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    const params: unknown[] = [];
    const tuples = chunk.map((row) => {
      const values = columns.map((column) => {
        const value = (row as Record<string, unknown>)[column.propertyName];
        if (value === undefined) {
          // A generated id left out: DEFAULT on PostgreSQL; SQLite has no DEFAULT here, NULL assigns one.
          if (postgres) return 'DEFAULT';
          if (!column.isGenerated) throw new Error(`${column.propertyName} is missing from a row`);
          return 'NULL';
        }
        params.push(driver.preparePersistentValue(value, column));
        return postgres ? `$${params.length}` : '?';
      });
      return `(${values.join(', ')})`;
    });
    const sql = `INSERT INTO ${quote(metadata.tableName)} (${columns
      .map((c) => quote(c.databaseName))
      .join(', ')}) VALUES ${tuples.join(', ')} ${onConflict}`;
    await manager.query(sql, params);
  }
}
