import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableForeignKey,
  TableIndex,
} from 'typeorm';
import { idColumn, timestampType } from '../column-types';

/** Dashboard sessions and login-link tickets, stored as digests. */
export class DashboardSessions1763880000000 implements MigrationInterface {
  name = 'DashboardSessions1763880000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'dashboard_sessions',
        columns: [
          idColumn,
          { name: 'user_id', type: 'integer' },
          { name: 'kind', type: 'varchar', length: '10' },
          { name: 'secret_sha256', type: 'varchar', length: '64', isUnique: true },
          { name: 'created_at', type: timestamp },
          { name: 'expires_at', type: timestamp },
        ],
        foreignKeys: [
          new TableForeignKey({
            name: 'FK_dashboard_sessions_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
          }),
        ],
        indices: [
          new TableIndex({ name: 'IDX_dashboard_sessions_user', columnNames: ['user_id'] }),
          new TableIndex({ name: 'IDX_dashboard_sessions_expires', columnNames: ['expires_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('dashboard_sessions');
  }
}
