import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row per login attempt Gatehouse reports (user.logged_in / user.login_failed). */
@Entity({ name: 'acme_login_audit' })
export class LoginAudit {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 20 })
  event: 'logged_in' | 'login_failed';

  @Column({ type: 'varchar', length: 20 })
  surface: string;

  @Column({ type: 'varchar', length: 254 })
  identifier: string;

  @Column({ type: 'varchar', length: 20, nullable: true })
  reason: string | null;

  @Column({ name: 'user_id', type: 'integer', nullable: true })
  userId: number | null;

  @Column({ name: 'at', type: Date })
  at: Date;
}
