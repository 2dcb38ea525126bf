import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../infra/crypto/sha256';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, LessThan, MoreThan, Repository } from 'typeorm';
import { LoginService } from '../accounts/login.service';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { LoginRefused } from '../problems/domain.errors';
import { GatehouseEvent, type LinkLoginEvent, userRef } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { DashboardSession } from './dashboard-session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { TokenKeyService } from './token-key.service';

/**
 * Browser sessions of the trader dashboard and the single-use tickets of
 * login links. The secrets go to the browser; the table keeps their SHA-256.
 */
@Injectable()
export class DashboardService implements OnModuleInit {
  constructor(
    private readonly config: GatehouseConfig,
    private readonly users: UsersService,
    private readonly logins: LoginService,
    @InjectRepository(DashboardSession) private readonly sessions: Repository<DashboardSession>,
    private readonly keys: TokenKeyService,
    private readonly events: GatehouseEvents,
    private readonly authSessions: SessionsService,
  ) {}

  onModuleInit(): void {
    // Ending a session (auth_sessions) ends its dashboard cookie.
    this.authSessions.onEnded(async (userId, sessionIds, all) => {
      if (all) await this.closeAllFor(userId);
      else await this.sessions.delete({ sessionId: In(sessionIds) });
    });
  }

  /** A new session for `user` (a login, or a login link's); returns the cookie value. */
  async openSession(
    user: User,
    kind: 'dashboard' | 'login_link' = 'dashboard',
    amr?: readonly string[],
  ): Promise<string> {
    const session = await this.authSessions.start(user, { kind, surface: 'dashboard', amr });
    return this.store(user, 'session', this.config.dashboard.sessionLifetime, session.id);
  }

  /** The user behind a session cookie, if the session is live and they may still log in. */
  async sessionUser(secret: string | undefined): Promise<User | null> {
    if (!secret) return null;
    const session = await this.sessions.findOneBy({
      secretSha256: sha256Hex(secret),
      kind: 'session',
      expiresAt: MoreThan(new Date()),
    });
    if (!session || !(await this.authSessions.isLive(session.sessionId))) return null;
    const user = await this.admitted(session.userId);
    // A cookie from before sessions existed dies with a deactivation all the same.
    const cutoff = user?.sessionsEndedAt;
    return cutoff && session.createdAt <= cutoff ? null : user;
  }

  /** Ends a session (the dashboard's logout), announced when it was a live one. */
  async closeSession(secret: string | undefined): Promise<void> {
    if (!secret) return;
    const where = { secretSha256: sha256Hex(secret), kind: 'session' as const };
    const session = await this.sessions.findOneBy(where);
    if (!session) return;
    await this.sessions.delete(where);
    if (session.sessionId) {
      await this.authSessions.end(session.userId, session.sessionId, 'logout');
    }
    const user = await this.users.findById(session.userId);
    if (user) await this.events.loggedOut('dashboard', user);
  }

  /** Ends every dashboard session and login-link ticket of a user; returns how many. */
  async closeAllFor(userId: number): Promise<number> {
    const rows = await this.sessions.findBy({ userId });
    const { affected } = await this.sessions.delete({ userId });
    // Their sessions end too (a password change ends the dashboard's whatever the setting).
    for (const { sessionId } of rows) {
      if (sessionId) await this.authSessions.end(userId, sessionId, 'password_changed');
    }
    return affected ?? 0;
  }

  /**
   * A login-link ticket, valid LOGIN_LINK_LIFETIME seconds, once. Announced (without the ticket).
   * @throws LoginRefused when the account's login rules refuse the user (an unconfirmed address)
   */
  async issueTicket(user: User): Promise<string> {
    const refusal = this.logins.refusalFor(user);
    if (refusal) throw new LoginRefused(refusal);
    const ticket = await this.store(user, 'ticket', this.config.dashboard.loginLinkLifetime);
    await this.events.emit(GatehouseEvent.loginLinkIssued, userRef(user));
    return ticket;
  }

  /**
   * Seed 002's hijack URL: the user whose Token key it carries, if they may log in.
   * Announced as a link login, let in or refused.
   */
  async hijack(key: string | undefined): Promise<User | null> {
    const record = key ? await this.keys.find(key) : null;
    return this.linkLogin('hijack', record ? await this.admitted(record.userId) : null);
  }

  /**
   * The user a login-link ticket lets in, consuming it: of two concurrent uses,
   * only the one whose delete succeeds wins. Announced as a link login.
   */
  async redeemTicket(ticket: string | undefined): Promise<User | null> {
    return this.linkLogin('login_link', await this.consumeTicket(ticket));
  }

  private async consumeTicket(ticket: string | undefined): Promise<User | null> {
    if (!ticket) return null;
    const row = await this.sessions.findOneBy({ secretSha256: sha256Hex(ticket), kind: 'ticket' });
    if (!row) return null;
    const { affected } = await this.sessions.delete({ id: row.id });
    if (affected !== 1 || row.expiresAt.getTime() <= Date.now()) return null;
    return this.admitted(row.userId);
  }

  /** The session (auth_sessions) a dashboard cookie belongs to: the dashboard's `current` one. */
  async sessionIdOf(secret: string | undefined): Promise<string | undefined> {
    if (!secret) return undefined;
    const row = await this.sessions.findOneBy({ secretSha256: sha256Hex(secret), kind: 'session' });
    return row?.sessionId ?? undefined;
  }

  /** The user, if the account's login rules (LoginService) let them in through a link or session. */
  private async admitted(userId: number): Promise<User | null> {
    const user = await this.users.findById(userId);
    return user && !this.logins.refusalFor(user) ? user : null;
  }

  private async linkLogin(via: LinkLoginEvent['via'], user: User | null): Promise<User | null> {
    await this.events.emit(
      GatehouseEvent.linkLogin,
      user ? { via, outcome: 'success', userId: user.id } : { via, outcome: 'failure' },
    );
    return user;
  }

  private async store(
    user: User,
    kind: 'session' | 'ticket',
    lifetimeSeconds: number,
    sessionId: string | null = null,
  ): Promise<string> {
    const secret = randomBytes(32).toString('base64url');
    const now = new Date();
    // The user's expired sessions and tickets go as new ones come.
    await this.sessions.delete({ userId: user.id, expiresAt: LessThan(now) });
    await this.sessions.insert({
      userId: user.id,
      kind,
      sessionId,
      secretSha256: sha256Hex(secret),
      createdAt: now,
      expiresAt: new Date(now.getTime() + lifetimeSeconds * 1000),
    });
    return secret;
  }
}
