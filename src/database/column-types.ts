import type { QueryRunner } from 'typeorm';

/**
 * The column type for instants: PostgreSQL stores them with their time zone;
 * SQLite has no such type and TypeORM writes UTC ISO strings into `datetime`.
 * Entities declare these columns as `type: Date`, which both drivers accept.
 */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}
