import type { QueryRunner } from 'typeorm';

/**
 * The column type for instants: PostgreSQL stores them with their time zone;
 * SQLite has no such type and TypeORM writes UTC ISO strings into `datetime`.
 * Entities declare these columns as `type: Date`, which both drivers accept.
 */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}

/** The integer auto-increment primary key every table has (Django's AutoField). */
export const idColumn = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment' as const,
};
