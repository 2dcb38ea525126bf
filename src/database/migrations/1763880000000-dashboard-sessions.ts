import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, ownedByUser, timestampType } from '../column-types';

/** Dashboard sessions and login-link tickets, stored as digests. */
export class DashboardSessions1763880000000 implements MigrationInterface {
  name = 'DashboardSessions1763880000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    const owner = ownedByUser('dashboard_sessions');
    await queryRunner.createTable(
      new Table({
        name: 'dashboard_sessions',
        columns: [
          idColumn,
          owner.column,
          { name: 'kind', type: 'varchar', length: '10' },
          { name: 'secret_sha256', type: 'varchar', length: '64', isUnique: true },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        foreignKeys: [owner.foreignKey],
        indices: [
          owner.index,
          new TableIndex({ name: 'IDX_dashboard_sessions_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dashboard_sessions');
  }
}
