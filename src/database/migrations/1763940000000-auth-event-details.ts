import type { MigrationInterface, QueryRunner } from 'typeorm';

/** What an audit event adds beyond its columns, e.g. an import run's counts (AuditModule). */
export class AuthEventDetails1763940000000 implements MigrationInterface {
  name = 'AuthEventDetails1763940000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's SQLite addColumn rebuilds the table.
    await queryRunner.query(`ALTER TABLE "auth_events" ADD COLUMN "details" varchar(200) NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "auth_events" DROP COLUMN "details"`);
  }
}
