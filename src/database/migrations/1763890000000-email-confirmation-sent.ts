import type { MigrationInterface, QueryRunner } from 'typeorm';
import { timestampType } from '../column-types';

/**
 * When the last confirmation mail went out: the resend rate limit, kept in the
 * database so every instance sees it (allauth's EmailConfirmation.sent).
 */
export class EmailConfirmationSent1763890000000 implements MigrationInterface {
  name = 'EmailConfirmationSent1763890000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's SQLite addColumn rebuilds the table and loses
    // the lower(email) expression index.
    await queryRunner.query(
      `ALTER TABLE "users" ADD COLUMN "email_confirmation_sent_at" ${timestampType(queryRunner)} NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "users" DROP COLUMN "email_confirmation_sent_at"`);
  }
}
