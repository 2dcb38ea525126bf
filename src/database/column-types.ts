import { type QueryRunner, TableForeignKey, TableIndex } from 'typeorm';

/**
 * The column type for instants: PostgreSQL stores them with their time zone;
 * SQLite has no such type and TypeORM writes UTC ISO strings into `datetime`.
 * Entities declare these columns as `type: Date`, which both drivers accept.
 */
export function timestampType(queryRunner: QueryRunner): string {
  return queryRunner.connection.options.type === 'postgres' ? 'timestamptz' : 'datetime';
}

/** PostgreSQL's `integer` range: a larger id cannot be stored, and querying one is an error there. */
const MAX_STORED_ID = 2_147_483_647;

/** Whether a number can be a primary key of ours (a positive 32-bit integer). */
export function isStoredId(id: number): boolean {
  return Number.isInteger(id) && id > 0 && id <= MAX_STORED_ID;
}

/** The integer auto-increment primary key every table has (Django's AutoField). */
export const idColumn = {
  name: 'id',
  type: 'integer',
  isPrimary: true,
  isGenerated: true,
  generationStrategy: 'increment' as const,
};

/** A cascading `user_id` foreign key to `users`, indexed: a row that belongs to a user. */
export function ownedByUser(table: string, nullable = false) {
  return {
    column: { name: 'user_id', type: 'integer', isNullable: nullable },
    foreignKey: new TableForeignKey({
      name: `FK_${table}_user`,
      columnNames: ['user_id'],
      referencedTableName: 'users',
      referencedColumnNames: ['id'],
      onDelete: 'CASCADE',
    }),
    index: new TableIndex({ name: `IDX_${table}_user`, columnNames: ['user_id'] }),
  };
}
