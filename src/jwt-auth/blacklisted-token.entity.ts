import { Column, Entity, JoinColumn, OneToOne, PrimaryGeneratedColumn } from 'typeorm';
import { OutstandingToken } from './outstanding-token.entity';

/** A refresh token that may no longer be used; the unique token_id makes blacklisting atomic. */
@Entity({ name: 'blacklisted_tokens' })
export class BlacklistedToken {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'token_id', type: 'integer', unique: true })
  tokenId: number;

  @OneToOne(() => OutstandingToken, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'token_id' })
  token?: OutstandingToken;

  @Column({ name: 'blacklisted_at', type: Date })
  blacklistedAt: Date;
}
