import { randomUUID } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, MoreThan, Not, Repository } from 'typeorm';
import type { Principal } from '../access/auth-scheme';
import { AuthCache } from '../access/auth-cache.service';
import { User } from '../accounts/user.entity';
import { GatehouseConfig } from '../config/gatehouse-config';
import {
  GatehouseEvent,
  type PasswordChangedEvent,
  type UserEventPayload,
} from '../events/gatehouse-events';
import { CompiledInsert } from '../database/compiled-lookup';
import { logsOutEverywhere } from '../events/revoke-on-password-change';
import { currentRequest } from '../observability/request-context';
import { Session, type SessionEndReason, type SessionKind } from './session.entity';

/** `last_used_at` (and the address and user agent) is written at most this often per session. */
const TOUCH_RESOLUTION_MS = 60_000;
/** Sessions remembered as written at most (the LRU this replaced had the same bound). */
const TOUCHED_MAX = 100_000;
/** How often the revocation set is re-read from the database, should a Redis message be lost. */
const REREAD_EVERY_MS = 30_000;
/** Read back a little further than the last re-read: a session ended during it is not missed. */
const REREAD_OVERLAP_MS = 5_000;

export interface StartSessionOptions {
  kind: SessionKind;
  surface: string;
  /** Default: the current request's. */
  userAgent?: string | null;
  /** Default: the current request's client address. */
  ipAddress?: string | null;
  /** RFC 8176 methods, after a second factor (see Session.amr). */
  amr?: readonly string[];
}

/**
 * What ends a session's credentials: each module that issues one (refresh tokens,
 * Token keys, dashboard sessions) registers a handler, so this module knows none.
 */
export type SessionsEndedHandler = (
  userId: number,
  sessionIds: string[],
  /** Every session of the user ended: credentials made before sessions existed go too. */
  all: boolean,
) => Promise<void>;

/**
 * Sessions (docs/sessions.md): every login on every surface is one, its credentials
 * point at it, and ending it ends them everywhere at once. The ended ones are held
 * in memory (AuthCache) for the hot path: `isEnded` reads no database.
 */
@Injectable()
export class SessionsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Sessions');
  private readonly handlers: SessionsEndedHandler[] = [];
  /**
   * Sessions whose `last_used_at` this instance wrote in the last minute, with when
   * (ms). A Map swept once a minute, not a TTL LRU: every authenticated request
   * asks it, and an LRU of this bound kept ~5 MB of slots allocated up front.
   */
  private readonly touched = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private sweeper?: NodeJS.Timeout;
  private lastRead = 0;

  /** Every login's session row, compiled once (see CompiledInsert). */
  private readonly insertSession: CompiledInsert<Session, SessionRowField>;

  constructor(
    private readonly config: GatehouseConfig,
    private readonly cache: AuthCache,
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {
    this.insertSession = new CompiledInsert(sessions, SESSION_ROW_FIELDS);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.reread();
    this.timer = setInterval(() => void this.reread(), REREAD_EVERY_MS);
    this.timer.unref();
    this.sweeper = setInterval(() => this.sweepTouched(Date.now()), TOUCH_RESOLUTION_MS);
    this.sweeper.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    clearInterval(this.sweeper);
  }

  /** Registers what ends the credentials of ended sessions (see SessionsEndedHandler). */
  onEnded(handler: SessionsEndedHandler): void {
    this.handlers.push(handler);
  }

  /** A new session for a login that just succeeded. */
  async start(user: User, options: StartSessionOptions): Promise<Session> {
    const session = this.newSession(user.id, options);
    await this.insertSession.insert(session);
    this.markTouched(session.id, Date.now());
    return session;
  }

  /**
   * `start`'s work for a login that is refused for what only the database knows (a
   * sign-up with a taken address): the same row built and its INSERT rehearsed
   * (see `rehearsalSql`), writing nothing. Answers the id the session would have.
   */
  async rehearseStart(options: StartSessionOptions): Promise<string> {
    const session = this.newSession(0, options);
    await this.insertSession.rehearse(session);
    return session.id;
  }

  private newSession(userId: number, options: StartSessionOptions): Session {
    const request = currentRequest();
    const now = new Date();
    return this.sessions.create({
      id: randomUUID(),
      userId,
      kind: options.kind,
      surface: options.surface,
      createdAt: now,
      lastUsedAt: now,
      userAgent: clip(options.userAgent ?? request?.userAgent ?? null, 512),
      ipAddress: clip(options.ipAddress ?? request?.address ?? null, 45),
      endedAt: null,
      endReason: null,
      amr: options.amr?.length ? options.amr.join(' ') : null,
    });
  }

  /** The user's live sessions, newest first. */
  async listForUser(userId: number): Promise<Session[]> {
    const sessions = await this.sessions.find({
      where: { userId, endedAt: IsNull() },
      order: { createdAt: 'DESC', id: 'ASC' },
    });
    const user = await this.users.findOne({
      where: { id: userId },
      select: { id: true, sessionsEndedAt: true },
    });
    const cutoff = user?.sessionsEndedAt?.getTime();
    return cutoff === undefined
      ? sessions
      : sessions.filter((session) => session.createdAt.getTime() > cutoff);
  }

  /** A session, live or not, if it is that user's. */
  findForUser(userId: number, sessionId: string): Promise<Session | null> {
    return this.sessions.findOneBy({ id: sessionId, userId });
  }

  /** Ends one session of a user: false when it is not theirs or has already ended. */
  async end(userId: number, sessionId: string, reason: SessionEndReason): Promise<boolean> {
    return (await this.endWhere(userId, [sessionId], reason)) === 1;
  }

  /** Ends every live session of a user but one ("log out other devices"); returns how many. */
  async endAllExcept(
    userId: number,
    keepSessionId: string | undefined,
    reason: SessionEndReason,
  ): Promise<number> {
    const live = await this.sessions.find({
      where: {
        userId,
        endedAt: IsNull(),
        ...(keepSessionId === undefined ? {} : { id: Not(keepSessionId) }),
      },
      select: { id: true },
    });
    return this.endWhere(
      userId,
      live.map(({ id }) => id),
      reason,
      keepSessionId === undefined,
    );
  }

  /** Ends every live session of a user ("log out everywhere"); returns how many. */
  endAll(userId: number, reason: SessionEndReason): Promise<number> {
    return this.endAllExcept(userId, undefined, reason);
  }

  /**
   * Records a use of a session: `last_used_at`, address and user agent, written
   * at most once a minute per session and never waited for.
   */
  touch(sessionId: string, userAgent: string | undefined, ip: string | undefined): void {
    const now = Date.now();
    const last = this.touched.get(sessionId);
    if (last !== undefined && now - last < TOUCH_RESOLUTION_MS) return;
    this.markTouched(sessionId, now);
    this.sessions
      .update(
        { id: sessionId, endedAt: IsNull() },
        {
          lastUsedAt: new Date(),
          userAgent: clip(userAgent ?? null, 512),
          ipAddress: clip(ip ?? null, 45),
        },
      )
      .catch((error: Error) =>
        this.logger.warn(`could not record a session's use: ${error.message}`),
      );
  }

  private markTouched(sessionId: string, now: number): void {
    // A bound for a burst of new sessions between sweeps: forgetting only costs a write.
    if (this.touched.size >= TOUCHED_MAX) this.touched.clear();
    this.touched.set(sessionId, now);
  }

  /** Forgets the sessions written longer ago than the resolution (they are written again on use). */
  private sweepTouched(now: number): void {
    for (const [id, at] of this.touched)
      if (now - at >= TOUCH_RESOLUTION_MS) this.touched.delete(id);
  }

  /**
   * Whether a credential's session has ended (SESSION_REVOCATION_CHECK on): from
   * memory, no database read. A credential without a session is not refused here.
   */
  isEnded(sessionId: string | null | undefined): boolean {
    return (
      this.config.sessions.revocationCheck &&
      typeof sessionId === 'string' &&
      this.cache.isSessionEnded(sessionId)
    );
  }

  /**
   * Whether an access token is refused because its session ended, or because every
   * session of its user ended after it was issued (`iat`, seconds; a deactivation).
   * From memory: the user comes from the auth cache. SESSION_REVOCATION_CHECK off: never.
   */
  refuses(sessionId: string | undefined, user: User, issuedAt: number): boolean {
    if (!this.config.sessions.revocationCheck) return false;
    if (sessionId !== undefined && this.cache.isSessionEnded(sessionId)) return true;
    const cutoff = user.sessionsEndedAt;
    // Whole seconds: a token of the cutoff's own second is refused too.
    return cutoff !== null && issuedAt <= Math.floor(cutoff.getTime() / 1000);
  }

  /** The session of an authenticated request's principal (for `current`), if it has one. */
  sessionIdOf(principal: Principal | undefined): string | undefined {
    const credential = principal?.credential;
    const id = credential?.sessionId ?? (credential?.claims as { sid?: unknown } | undefined)?.sid;
    return typeof id === 'string' ? id : undefined;
  }

  /** Whether a session is live, read from the database (refresh, dashboard: not the hot path). */
  async isLive(sessionId: string | null | undefined): Promise<boolean> {
    if (typeof sessionId !== 'string') return true;
    if (this.isEnded(sessionId)) return false;
    const session = await this.sessions.findOneBy({ id: sessionId });
    if (!session || session.endedAt) return false;
    const user = await this.users.findOne({
      where: { id: session.userId },
      select: { id: true, sessionsEndedAt: true },
    });
    const cutoff = user?.sessionsEndedAt?.getTime();
    return cutoff === undefined || session.createdAt.getTime() > cutoff;
  }

  /** A new password ends every session (LOGOUT_ON_PASSWORD_CHANGE). */
  @OnEvent(GatehouseEvent.passwordChanged, { suppressErrors: false })
  async onPasswordChanged(event: PasswordChangedEvent): Promise<void> {
    if (logsOutEverywhere(this.config, event)) await this.endAll(event.userId, 'password_changed');
  }

  /** Deactivation ends every session for good (DESIGN.md: nothing comes back on re-activation). */
  @OnEvent(GatehouseEvent.userDeactivated, { suppressErrors: false })
  async onDeactivated(event: UserEventPayload): Promise<void> {
    await this.endAll(event.userId, 'deactivated');
  }

  private async endWhere(
    userId: number,
    sessionIds: string[],
    reason: SessionEndReason,
    all = false,
  ): Promise<number> {
    const ended: string[] = [];
    // One by one: the conditional update decides, on every instance, which ending is the one.
    for (const id of sessionIds) {
      const { affected } = await this.sessions.update(
        { id, userId, endedAt: IsNull() },
        { endedAt: new Date(), endReason: reason.slice(0, 32) },
      );
      if (affected === 1) ended.push(id);
    }
    if (ended.length > 0) {
      await this.cache.invalidate({ kind: 'sessions-ended', userId, sessionIds: ended });
    }
    // Credentials made before sessions existed have none to end: with `all` they go too.
    if (ended.length > 0 || all) {
      for (const handler of this.handlers) await handler(userId, ended, all);
    }
    return ended.length;
  }

  /** The safety net under Redis: sessions ended since the last read, whoever ended them. */
  private async reread(): Promise<void> {
    const now = Date.now();
    // A credential of an ended session verifies at most this long after it ended.
    const retainMs =
      Math.max(
        this.config.jwt.accessTokenLifetime,
        this.config.jwt.refreshTokenLifetime,
        this.config.fastapiUsers.tokenLifetime,
      ) * 1000;
    const since = this.lastRead === 0 ? now - retainMs : this.lastRead - REREAD_OVERLAP_MS;
    try {
      const ended = await this.sessions.find({
        where: { endedAt: MoreThan(new Date(since)) },
        select: { id: true, endedAt: true },
      });
      this.lastRead = now;
      this.cache.rememberEndedSessions(
        ended.map(({ id, endedAt }) => [id, endedAt?.getTime() ?? now]),
        now - retainMs,
      );
    } catch (error) {
      this.logger.warn(`could not re-read ended sessions: ${(error as Error).message}`);
    }
  }
}

/** Every column of a session row, as `start` writes it. */
const SESSION_ROW_FIELDS = [
  'id',
  'userId',
  'kind',
  'surface',
  'createdAt',
  'lastUsedAt',
  'userAgent',
  'ipAddress',
  'endedAt',
  'endReason',
  'amr',
] as const;
type SessionRowField = (typeof SESSION_ROW_FIELDS)[number];

function clip(text: string | null, length: number): string | null {
  return text === null ? null : text.slice(0, length);
}
