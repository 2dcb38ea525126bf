import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, timestampType } from '../column-types';

/** The audit trail of authentication events (AuditModule). */
export class AuthEvents1763910000000 implements MigrationInterface {
  name = 'AuthEvents1763910000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'auth_events',
        columns: [
          idColumn,
          { name: 'occurred_at', type: timestampType(queryRunner) },
          { name: 'type', type: 'varchar', length: '40' },
          { name: 'outcome', type: 'varchar', length: '10' },
          // No foreign key: the trail outlives a deleted user.
          { name: 'user_id', type: 'integer', isNullable: true },
          { name: 'identifier', type: 'varchar', length: '150', isNullable: true },
          { name: 'surface', type: 'varchar', length: '20', isNullable: true },
          { name: 'reason', type: 'varchar', length: '40', isNullable: true },
          { name: 'address', type: 'varchar', length: '64', isNullable: true },
          { name: 'user_agent', type: 'varchar', length: '256', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'IDX_auth_events_occurred', columnNames: ['occurred_at'] }),
          new TableIndex({ name: 'IDX_auth_events_type', columnNames: ['type'] }),
          new TableIndex({ name: 'IDX_auth_events_user', columnNames: ['user_id'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('auth_events');
  }
}
