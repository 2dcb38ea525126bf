import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { User } from '@gatehouse-auth/nestjs';

/** Our own data about a Gatehouse user: one row per user, keyed by the user's id. */
@Entity({ name: 'acme_departments' })
export class Department {
  @PrimaryColumn({ name: 'user_id', type: 'integer' })
  userId: number;

  @OneToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: User;

  @Column({ type: 'varchar', length: 100 })
  name: string;
}
