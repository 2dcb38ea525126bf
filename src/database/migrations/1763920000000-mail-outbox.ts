import { type MigrationInterface, type QueryRunner, Table, TableIndex } from 'typeorm';
import { idColumn, timestampType } from '../column-types';

/** The mail outbox: mails survive a restart and are delivered by one instance. */
export class MailOutbox1763920000000 implements MigrationInterface {
  name = 'MailOutbox1763920000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const timestamp = timestampType(queryRunner);
    await queryRunner.createTable(
      new Table({
        name: 'mail_outbox',
        columns: [
          idColumn,
          { name: 'template', type: 'varchar', length: '64' },
          { name: 'recipient', type: 'varchar', length: '320' },
          { name: 'context', type: 'text' },
          { name: 'attempts', type: 'integer', default: 0 },
          { name: 'next_attempt_at', type: timestamp },
          { name: 'claimed_until', type: timestamp, isNullable: true },
          { name: 'created_at', type: timestamp },
        ],
        indices: [
          new TableIndex({ name: 'IDX_mail_outbox_due', columnNames: ['next_attempt_at'] }),
        ],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('mail_outbox');
  }
}
