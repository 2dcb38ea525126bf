import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, type FindOptionsWhere, LessThan, MoreThanOrEqual, Repository } from 'typeorm';
import { FieldErrors } from '../problems/domain.errors';
import {
  type EmailVerifiedEvent,
  GatehouseEvent,
  type LegacyImportedEvent,
  type LinkLoginEvent,
  type LoginLinkIssuedEvent,
  type MfaChallengeFailedEvent,
  type MfaDisabledEvent,
  type MfaEnabledEvent,
  type MfaRecoveryCodeUsedEvent,
  type PasswordChangedEvent,
  type PasswordResetRequestedEvent,
  type RequestThrottledEvent,
  type SessionsEndedEvent,
  type TokenKeyCreatedEvent,
  type TokenRefreshedEvent,
  type TokenRefreshFailedEvent,
  type TokenReuseDetectedEvent,
  type TokenRevokedEvent,
  type UserImportedEvent,
  type UserLoggedInEvent,
  type UserLoggedOutEvent,
  type UserLoginFailedEvent,
  type UserRegisteredEvent,
} from '../events/gatehouse-events';
import { paginate } from '../http/pagination';
import { currentRequest } from '../observability/request-context';
import { GatehouseConfig } from '../config/gatehouse-config';
import { AuthEvent } from './auth-event.entity';

/** Rows waiting to be written, at most: past it the oldest are dropped (and counted). */
const MAX_BUFFERED = 10_000;
const FLUSH_EVERY_MS = 500;
const BATCH = 200;

/** What an event listener knows; the request's address and user agent are added here. */
type EventRow = Pick<AuthEvent, 'type' | 'outcome'> & Partial<AuthEvent>;

export interface AuthEventFilters {
  user?: string;
  type?: string;
  outcome?: string;
  after?: string;
  before?: string;
}

/**
 * The audit trail: every lifecycle event, with the client's address and user
 * agent, written to `auth_events`. Writing is buffered and bounded — a login
 * never waits for it and never fails because of it; old rows go after
 * AUDIT_RETENTION_DAYS.
 */
@Injectable()
export class AuditService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private buffer: AuthEvent[] = [];
  private dropped = 0;
  private flushing?: Promise<void>;
  private timer?: NodeJS.Timeout;
  private pruner?: NodeJS.Timeout;

  constructor(
    @InjectRepository(AuthEvent) private readonly events: Repository<AuthEvent>,
    private readonly config: GatehouseConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS).unref();
    if ((this.config.auditRetentionDays ?? 0) > 0) {
      void this.prune();
      this.pruner = setInterval(() => void this.prune(), 3600_000).unref();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.pruner);
    await this.flush();
  }

  @OnEvent(GatehouseEvent.userLoggedIn)
  onLogin(event: UserLoggedInEvent): void {
    this.record({
      type: 'login',
      outcome: 'success',
      userId: event.userId,
      surface: event.surface,
    });
  }

  @OnEvent(GatehouseEvent.userLoginFailed)
  onLoginFailed(event: UserLoginFailedEvent): void {
    this.record({
      type: 'login',
      outcome: 'failure',
      userId: event.userId ?? null,
      identifier: event.identifier ? event.identifier.slice(0, 150) : null,
      // A consumer's scheme word may be long: the column holds 20.
      surface: event.surface.slice(0, 20),
      reason: event.reason,
    });
  }

  @OnEvent(GatehouseEvent.userLoggedOut)
  onLogout(event: UserLoggedOutEvent): void {
    this.record({
      type: 'logout',
      outcome: 'success',
      userId: event.userId,
      surface: event.surface,
    });
  }

  @OnEvent(GatehouseEvent.userRegistered)
  onRegistered(event: UserRegisteredEvent): void {
    this.record({
      type: 'registered',
      outcome: 'success',
      userId: event.userId,
      surface: event.surface,
    });
  }

  @OnEvent(GatehouseEvent.passwordChanged)
  onPasswordChanged(event: PasswordChangedEvent): void {
    this.record({ type: `password_${event.via}`, outcome: 'success', userId: event.userId });
  }

  @OnEvent(GatehouseEvent.passwordResetRequested)
  onResetRequested(event: PasswordResetRequestedEvent): void {
    this.record({ type: 'password_reset_requested', outcome: 'success', userId: event.userId });
  }

  @OnEvent(GatehouseEvent.emailVerified)
  onEmailVerified(event: EmailVerifiedEvent): void {
    this.record({ type: 'email_verified', outcome: 'success', userId: event.userId });
  }

  @OnEvent(GatehouseEvent.tokenRevoked)
  onTokenRevoked(event: TokenRevokedEvent): void {
    this.record({
      type: `${event.kind}_revoked`,
      outcome: 'success',
      userId: event.userId,
      reason: event.reason,
    });
  }

  @OnEvent(GatehouseEvent.tokenRefreshed)
  onRefreshed(event: TokenRefreshedEvent): void {
    this.record({
      type: 'token_refresh',
      outcome: 'success',
      userId: event.userId,
      surface: event.surface,
    });
  }

  @OnEvent(GatehouseEvent.tokenRefreshFailed)
  onRefreshFailed(event: TokenRefreshFailedEvent): void {
    this.record({
      type: 'token_refresh',
      outcome: 'failure',
      surface: event.surface,
      reason: event.reason,
    });
  }

  /** The type keeps the event's name: a theft signal an operator searches for as such. */
  @OnEvent(GatehouseEvent.tokenReuseDetected)
  onReuseDetected(event: TokenReuseDetectedEvent): void {
    this.record({
      type: 'token.reuse_detected',
      outcome: 'failure',
      userId: event.userId,
      surface: event.surface,
      reason: 'reuse_detected',
      details: `session=${event.sessionId}`,
    });
  }

  @OnEvent(GatehouseEvent.tokenKeyCreated)
  onTokenKeyCreated(event: TokenKeyCreatedEvent): void {
    this.record({
      type: 'token_key_created',
      outcome: 'success',
      userId: event.userId,
      surface: event.surface ?? null,
      reason: event.via ?? null,
    });
  }

  @OnEvent(GatehouseEvent.linkLogin)
  onLinkLogin(event: LinkLoginEvent): void {
    this.record({
      type: event.via,
      outcome: event.outcome,
      userId: event.userId ?? null,
      surface: 'dashboard',
    });
  }

  @OnEvent(GatehouseEvent.loginLinkIssued)
  onLoginLinkIssued(event: LoginLinkIssuedEvent): void {
    this.record({
      type: 'login_link_issued',
      outcome: 'success',
      userId: event.userId,
      surface: 'dashboard',
    });
  }

  @OnEvent(GatehouseEvent.legacyImported)
  onImported(event: LegacyImportedEvent): void {
    const { created, updated, unchanged, skipped } = event;
    this.record({
      type: 'import',
      outcome: 'success',
      reason: event.source,
      details: `created=${created} updated=${updated} unchanged=${unchanged} skipped=${skipped}`,
    });
  }

  @OnEvent(GatehouseEvent.userImported)
  onUserImported(event: UserImportedEvent): void {
    this.record({
      type: 'import',
      outcome: 'success',
      userId: event.userId,
      identifier: event.identifier?.slice(0, 150) ?? null,
      reason: 'trickle',
      details: `source=${event.source} outcome=${event.outcome} via=${event.via}`,
    });
  }

  @OnEvent(GatehouseEvent.sessionsEnded)
  onSessionsEnded(event: SessionsEndedEvent): void {
    this.record({
      type: 'session_ended',
      outcome: 'success',
      userId: event.userId,
      surface: event.surface ?? null,
      reason: event.reason,
      details: `count=${event.count}${event.sessionId ? ` session=${event.sessionId}` : ''}`,
    });
  }

  @OnEvent(GatehouseEvent.requestThrottled)
  onThrottled(event: RequestThrottledEvent): void {
    this.record({
      type: 'throttled',
      outcome: 'failure',
      reason: event.scope,
      address: event.address,
      userAgent: event.userAgent?.slice(0, 256) ?? null,
    });
  }

  // MFA rows keep the events' names (`mfa.enabled`…): what an operator searches for.
  @OnEvent(GatehouseEvent.mfaEnabled)
  onMfaEnabled(event: MfaEnabledEvent): void {
    this.record({
      type: GatehouseEvent.mfaEnabled,
      outcome: 'success',
      userId: event.userId,
      surface: event.surface ?? null,
    });
  }

  @OnEvent(GatehouseEvent.mfaDisabled)
  onMfaDisabled(event: MfaDisabledEvent): void {
    this.record({
      type: GatehouseEvent.mfaDisabled,
      outcome: 'success',
      userId: event.userId,
      surface: event.surface ?? null,
      reason: event.by,
    });
  }

  @OnEvent(GatehouseEvent.mfaChallengeFailed)
  onMfaChallengeFailed(event: MfaChallengeFailedEvent): void {
    this.record({
      type: GatehouseEvent.mfaChallengeFailed,
      outcome: 'failure',
      userId: event.userId,
      surface: event.surface ?? null,
      reason: event.reason,
    });
  }

  @OnEvent(GatehouseEvent.mfaRecoveryCodeUsed)
  onMfaRecoveryCodeUsed(event: MfaRecoveryCodeUsedEvent): void {
    this.record({
      type: GatehouseEvent.mfaRecoveryCodeUsed,
      outcome: 'success',
      userId: event.userId,
      surface: event.surface ?? null,
      details: `left=${event.left}`,
    });
  }

  /** Buffers one event with the current request's address and user agent. */
  record(row: EventRow): void {
    const request = currentRequest();
    const event = this.events.create({
      occurredAt: new Date(),
      userId: null,
      identifier: null,
      surface: null,
      reason: null,
      details: null,
      address: request?.address ?? null,
      userAgent: request?.userAgent?.slice(0, 256) ?? null,
      ...row,
    });
    if (this.buffer.length >= MAX_BUFFERED) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(event);
  }

  /** Writes what is buffered; never throws (a failed batch is logged and dropped). */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.dropped > 0) {
      this.logger.warn(`${this.dropped} audit event(s) dropped: the buffer was full`);
      this.dropped = 0;
    }
    while (this.buffer.length > 0) {
      const batch = this.buffer.splice(0, BATCH);
      try {
        await this.events.insert(batch);
      } catch (error) {
        this.logger.error(
          `${batch.length} audit event(s) not written: ${(error as Error).message}`,
        );
      }
    }
  }

  /** Deletes events older than AUDIT_RETENTION_DAYS; returns how many. */
  async prune(now = Date.now()): Promise<number> {
    const days = this.config.auditRetentionDays ?? 0;
    if (days <= 0) return 0;
    try {
      const { affected } = await this.events.delete({
        occurredAt: LessThan(new Date(now - days * 86400_000)),
      });
      return affected ?? 0;
    } catch (error) {
      this.logger.error(`audit pruning failed: ${(error as Error).message}`);
      return 0;
    }
  }

  /** The newest events first, after `afterId` when given (for tailing). */
  async latest(limit: number, afterId = 0): Promise<AuthEvent[]> {
    await this.flush();
    return this.events.find({
      where: { id: MoreThanOrEqual(afterId + 1) },
      order: { id: afterId > 0 ? 'ASC' : 'DESC' },
      take: limit,
    });
  }

  /** DRF's PageNumberPagination over the filtered events, newest first. */
  async list(url: string, filters: AuthEventFilters, pageText?: string, pageSizeText?: string) {
    await this.flush();
    const where = this.where(filters);
    return paginate(
      url,
      pageText,
      pageSizeText,
      (skip, take) => this.events.findAndCount({ where, order: { id: 'DESC' }, skip, take }),
      authEventView,
    );
  }

  private where(given: AuthEventFilters): FindOptionsWhere<AuthEvent> {
    // A parameter sent twice reads as its last value, as Django's QueryDict does.
    const filters = Object.fromEntries(
      Object.entries(given).map(([name, value]: [string, unknown]) => [
        name,
        Array.isArray(value) ? String(value.at(-1)) : (value as string | undefined),
      ]),
    ) as AuthEventFilters;
    const where: FindOptionsWhere<AuthEvent> = {};
    const errors: Record<string, string[]> = {};
    if (filters.user !== undefined) {
      if (/^\d{1,9}$/.test(filters.user)) where.userId = Number(filters.user);
      else errors.user = ['Enter a number.'];
    }
    if (filters.type !== undefined) where.type = filters.type.slice(0, 40);
    if (filters.outcome !== undefined) {
      if (filters.outcome === 'success' || filters.outcome === 'failure') {
        where.outcome = filters.outcome;
      } else {
        errors.outcome = [
          `Select a valid choice. ${filters.outcome.slice(0, 40)} is not one of the available choices.`,
        ];
      }
    }
    const after = instant(filters.after, 'after', errors);
    const before = instant(filters.before, 'before', errors);
    if (Object.keys(errors).length > 0) {
      throw new FieldErrors(
        Object.fromEntries(
          Object.entries(errors).map(([field, messages]) => [
            field,
            messages.map((message) => ({ code: 'invalid', message })),
          ]),
        ),
      );
    }
    if (after || before) {
      where.occurredAt = Between(after ?? new Date(0), before ?? new Date(8.64e15));
    }
    return where;
  }
}

function instant(
  text: string | undefined,
  name: string,
  errors: Record<string, string[]>,
): Date | undefined {
  if (text === undefined) return undefined;
  const date = new Date(text);
  if (Number.isNaN(date.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(text)) {
    errors[name] = ['Enter a valid date/time.'];
    return undefined;
  }
  return date;
}

/** An event as the staff API shows it (snake_case, DRF's style). */
export function authEventView(event: AuthEvent) {
  return {
    id: event.id,
    occurred_at: event.occurredAt.toISOString(),
    type: event.type,
    outcome: event.outcome,
    user: event.userId,
    identifier: event.identifier,
    surface: event.surface,
    reason: event.reason,
    address: event.address,
    user_agent: event.userAgent,
    details: event.details,
  };
}
