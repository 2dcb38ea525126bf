import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { timestampType } from '../column-types';

/** Leases of scheduled jobs, so one instance runs each at a time (without Redis). */
export class JobLeases1763930000000 implements MigrationInterface {
  name = 'JobLeases1763930000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'job_leases',
        columns: [
          { name: 'name', type: 'varchar', length: '64', isPrimary: true },
          { name: 'holder', type: 'varchar', length: '64' },
          { name: 'expires_at', type: timestampType(queryRunner) },
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('job_leases');
  }
}
