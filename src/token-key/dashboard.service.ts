import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LessThan, MoreThan, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { DashboardSession } from './dashboard-session.entity';

/**
 * Browser sessions of the trader dashboard and the single-use tickets of
 * login links. The secrets go to the browser; the table keeps their SHA-256.
 */
@Injectable()
export class DashboardService {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    @InjectRepository(DashboardSession) private readonly sessions: Repository<DashboardSession>,
  ) {}

  /** A new session for `user`; returns the cookie value. */
  openSession(user: User): Promise<string> {
    return this.store(user, 'session', this.config.dashboard.sessionLifetime);
  }

  /** The active user behind a session cookie, if the session is live. */
  async sessionUser(secret: string | undefined): Promise<User | null> {
    if (!secret) return null;
    const session = await this.sessions.findOneBy({
      secretSha256: sha256(secret),
      kind: 'session',
      expiresAt: MoreThan(new Date()),
    });
    return session ? this.users.findActiveById(session.userId) : null;
  }

  async closeSession(secret: string | undefined): Promise<void> {
    if (secret) await this.sessions.delete({ secretSha256: sha256(secret), kind: 'session' });
  }

  /** Ends every dashboard session and login-link ticket of a user; returns how many. */
  async closeAllFor(userId: number): Promise<number> {
    const { affected } = await this.sessions.delete({ userId });
    return affected ?? 0;
  }

  /** A login-link ticket, valid LOGIN_LINK_LIFETIME seconds, once. */
  issueTicket(user: User): Promise<string> {
    return this.store(user, 'ticket', this.config.dashboard.loginLinkLifetime);
  }

  /** Consumes a ticket: of two concurrent uses, only the one whose delete succeeds wins. */
  async redeemTicket(ticket: string | undefined): Promise<User | null> {
    if (!ticket) return null;
    const row = await this.sessions.findOneBy({ secretSha256: sha256(ticket), kind: 'ticket' });
    if (!row) return null;
    const { affected } = await this.sessions.delete({ id: row.id });
    if (affected !== 1 || row.expiresAt.getTime() <= Date.now()) return null;
    return this.users.findActiveById(row.userId);
  }

  private async store(
    user: User,
    kind: 'session' | 'ticket',
    lifetimeSeconds: number,
  ): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    // The user's expired sessions and tickets go as new ones come.
    await this.sessions.delete({ userId: user.id, expiresAt: LessThan(now) });
    await this.sessions.insert({
      userId: user.id,
      kind,
      secretSha256: sha256(secret),
      createdAt: now,
      expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
    });
    return secret;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
