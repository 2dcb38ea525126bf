import { randomUUID } from 'node:crypto';
import { sha256Hex } from '../infra/crypto/sha256';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { JwtService } from '@nestjs/jwt';
import { DataSource, IsNull, LessThan, MoreThan, QueryFailedError, Repository } from 'typeorm';
import type { User } from '../accounts/user.entity';
import { UsersService } from '../accounts/users.service';
import { GatehouseConfig } from '../config/gatehouse-config';
import { CompiledInsert } from '../database/compiled-lookup';
import { GatehouseEvent, type Surface } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { appSecret } from '../infra/crypto/app-secret';
import { SealedBox } from '../infra/crypto/sealed-box';
import type { SessionKind } from '../sessions/session.entity';
import { SessionsService } from '../sessions/sessions.service';
import { BlacklistedToken } from './blacklisted-token.entity';
import { JwtClaimsProvider, RESERVED_CLAIMS } from './jwt-claims.provider';
import { OutstandingToken } from './outstanding-token.entity';
import { TokenError } from './token-error';

export type TokenType = 'access' | 'refresh';

/** The claims of a verified Gatehouse JWT. */
export interface TokenClaims {
  token_type: TokenType;
  exp: number;
  iat: number;
  jti: string;
  user_id: number;
  /** The session (auth_sessions) the token belongs to; absent on tokens minted before sessions. */
  sid?: string;
  sub?: string;
  aud?: string | string[];
  [claim: string]: unknown;
}

/** fastapi-users' audience, so one access token serves every surface. */
export const FASTAPI_USERS_AUDIENCE = 'fastapi-users:auth';

/**
 * The `sub` (a user's UUID) of a verified payload shaped as fastapi-users'
 * JWTStrategy mints it — `{sub, aud: ["fastapi-users:auth"], exp}` — or undefined.
 * One of Gatehouse's own tokens (a refresh token, say) is never taken for one.
 */
export function fastapiUsersSubject(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const claims = payload as Record<string, unknown>;
  const audience = Array.isArray(claims.aud) ? (claims.aud as unknown[]) : [claims.aud];
  return !('token_type' in claims) &&
    typeof claims.sub === 'string' &&
    typeof claims.exp === 'number' &&
    audience.includes(FASTAPI_USERS_AUDIENCE)
    ? claims.sub
    : undefined;
}

export interface TokenPair {
  refresh: string;
  access: string;
}

/** Which session a login's tokens belong to: an existing one, or a new one of this surface. */
export interface SessionChoice {
  /** The surface the login came through (auth_sessions.surface). */
  surface: string;
  /** A session already started for this login (dj-rest-auth's key and pair share one). */
  sessionId?: string;
  kind?: SessionKind;
  /** RFC 8176 methods after a second factor: the session records them, the tokens carry `amr`. */
  amr?: readonly string[];
}

/**
 * Issues, verifies, refreshes and blacklists JWTs the way SimpleJWT does, with
 * the configured algorithm pinned and refresh tokens recorded in the database so
 * a blacklisted one is refused on every instance.
 */
@Injectable()
export class JwtTokenService implements OnModuleInit {
  /** Every login's refresh-token record, compiled once (see CompiledInsert). */
  private readonly insertOutstanding: CompiledInsert<OutstandingToken, OutstandingRowField>;
  /** A rotated token's successor, kept for the grace window (REFRESH_REUSE_GRACE). */
  private readonly successors: SealedBox;

  constructor(
    private readonly config: GatehouseConfig,
    private readonly jwt: JwtService,
    private readonly claims: JwtClaimsProvider,
    private readonly users: UsersService,
    @InjectRepository(OutstandingToken) private readonly outstanding: Repository<OutstandingToken>,
    @InjectRepository(BlacklistedToken) private readonly blacklisted: Repository<BlacklistedToken>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sessions: SessionsService,
    private readonly events: GatehouseEvents,
  ) {
    this.insertOutstanding = new CompiledInsert(outstanding, OUTSTANDING_ROW_FIELDS);
    this.successors = new SealedBox(appSecret(config), 'gatehouse.refresh-successor');
  }

  onModuleInit(): void {
    // A refresh token of an ended session is refused by its session (isLive). When every
    // session ends, tokens from before sessions existed (none) are blacklisted too.
    this.sessions.onEnded(async (userId, _sessionIds, all) => {
      if (all) await this.blacklistAllFor(userId);
    });
  }

  /** SimpleJWT's `RefreshToken.for_user(user)` and its access token, in a (new) session. */
  async issuePair(user: User, session: SessionChoice): Promise<TokenPair> {
    const sid = await this.sessionFor(user, session, 'jwt');
    const extra = { ...(await this.customClaims(user)), ...amrClaim(session.amr) };
    const refresh = await this.sign('refresh', user, extra, sid);
    await this.recordIssued(refresh, user.id, sid);
    return { refresh: refresh.token, access: (await this.sign('access', user, extra, sid)).token };
  }

  /**
   * `issuePair`'s work for a user not saved (a sign-up refused for a taken address):
   * the session's INSERT (unless the login shares one), both signatures and the
   * refresh token's INSERT, rehearsed (see `rehearsalSql`), writing nothing. The
   * custom-claims hook is a consumer's and sees real users only.
   */
  async rehearsePair(user: User, session: SessionChoice): Promise<void> {
    const sid =
      session.sessionId ??
      (await this.sessions.rehearseStart({
        kind: session.kind ?? 'jwt',
        surface: session.surface,
      }));
    const refresh = await this.sign('refresh', user, {}, sid);
    await this.insertOutstanding.rehearse({ ...outstandingRow(refresh, 0), sessionId: sid });
    await this.sign('access', user, {}, sid);
  }

  /** An access token alone, e.g. fastapi-users' login (its own lifetime), in a (new) session. */
  async issueAccess(user: User, session: SessionChoice, lifetimeSeconds?: number): Promise<string> {
    const sid = await this.sessionFor(user, session, 'fastapi');
    const extra = { ...(await this.customClaims(user)), ...amrClaim(session.amr) };
    return (await this.sign('access', user, extra, sid, lifetimeSeconds)).token;
  }

  private async sessionFor(user: User, choice: SessionChoice, kind: SessionKind): Promise<string> {
    if (choice.sessionId) return choice.sessionId;
    const session = await this.sessions.start(user, {
      kind: choice.kind ?? kind,
      surface: choice.surface,
      amr: choice.amr,
    });
    return session.id;
  }

  /**
   * Verifies signature (pinned algorithm, known key) and expiry, and, when
   * `expected` is given, the token type.
   */
  async verify(token: string, expected?: TokenType): Promise<TokenClaims> {
    return checkClaims(await this.verifiedPayload(token), expected);
  }

  /** Signature (pinned algorithm, any verification key) and expiry; the claims are the caller's. */
  private async verifiedPayload(token: string): Promise<object> {
    try {
      // JwtService is set up with the pinned algorithm and picks the key (JwtKeys.keyFor).
      return await this.jwt.verifyAsync<object>(token);
    } catch {
      throw new TokenError('Token is invalid or expired');
    }
  }

  /** The `exp` (seconds) of a token this service issued, read without verifying. */
  expiryOf(token: string): number {
    const claims: unknown = this.jwt.decode(token);
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' ? exp : 0;
  }

  /** SimpleJWT's verify view: a valid token of either type that is not blacklisted. */
  async verifyAny(token: string): Promise<TokenClaims> {
    const claims = await this.verify(token);
    // Trickle mode imports a legacy owner with its blacklist rows before they are consulted.
    if (claims.token_type === 'refresh') await this.users.findById(claims.user_id);
    if (claims.token_type === 'refresh' && (await this.isBlacklisted(claims.jti))) {
      throw new TokenError('Token is blacklisted');
    }
    if (!(await this.sessions.isLive(claims.sid))) throw new TokenError('Token is blacklisted');
    return claims;
  }

  /**
   * SimpleJWT's refresh view: a new access token; with rotation a new refresh
   * token too, and with blacklist-after-rotation the old one is blacklisted.
   * With rotation, a token presented again after it was rotated is reuse (RFC 9700
   * §4.14.2): within REFRESH_REUSE_GRACE it yields the same successor (two tabs
   * refreshing at once), after it the whole session ends and it is refused.
   */
  async refresh(
    refreshToken: string,
    surface: Surface = 'simplejwt',
  ): Promise<{ access: string; refresh?: string; user: User }> {
    const claims = await this.verify(refreshToken, 'refresh');
    // The user first: trickle mode imports a legacy owner with its blacklist rows.
    const user = await this.users.findById(claims.user_id);
    const record = await this.recordRefresh({ token: refreshToken, claims }, user ? user.id : null);
    const sid = claims.sid ?? record.sessionId ?? undefined;
    if (!(await this.sessions.isLive(sid))) {
      // A deletion or deactivation ends the sessions; SimpleJWT, which ends none, answers
      // that the account is gone.
      if (!user?.canAuthenticate) {
        throw new TokenError('No active account found for the given token.', 'no_active_account');
      }
      throw new TokenError('Token is blacklisted');
    }
    const rotate = this.config.jwt.rotateRefreshTokens;
    // The session's methods ride on its refresh token: a refresh needs no second factor.
    const amr = amrClaim(claims.amr);
    if (rotate && record.rotatedAt) return this.presentedAgain(record, user, surface, amr);
    if (await this.isBlacklisted(claims.jti)) {
      // A concurrent refresh may have rotated and blacklisted it since the record was read:
      // that is a second tab within the grace window, not a blacklisted token.
      const current = rotate ? await this.outstanding.findOneBy({ id: record.id }) : null;
      if (current?.rotatedAt) return this.presentedAgain(current, user, surface, amr);
      throw new TokenError('Token is blacklisted');
    }
    if (!user?.canAuthenticate) {
      throw new TokenError('No active account found for the given token.', 'no_active_account');
    }
    // A token of a legacy family (no session yet) starts one now.
    const session = sid ?? (await this.sessionFor(user, { surface }, 'jwt'));
    const extra = { ...(await this.customClaims(user)), ...amr };
    const access = (await this.sign('access', user, extra, session)).token;
    if (!rotate) return { access, user };

    const rotated = await this.sign('refresh', user, extra, session);
    // The conditional update decides which of two concurrent refreshes rotates.
    const { affected } = await this.outstanding.update(
      { id: record.id, rotatedAt: IsNull() },
      { rotatedAt: new Date(), successor: this.successors.seal(rotated.token) },
    );
    if (affected !== 1) {
      const winner = await this.outstanding.findOneByOrFail({ id: record.id });
      return this.presentedAgain(winner, user, surface, amr);
    }
    await this.recordIssued(rotated, user.id, session);
    if (this.config.jwt.blacklistAfterRotation) await this.blacklistRecord(record.id);
    return { access, refresh: rotated.token, user };
  }

  /** A rotated refresh token again: its successor within the grace window, else reuse. */
  private async presentedAgain(
    record: OutstandingToken,
    user: User | null,
    surface: Surface,
    amr: Record<string, unknown>,
  ): Promise<{ access: string; refresh: string; user: User }> {
    const graceMs = this.config.sessions.reuseGraceSeconds * 1000;
    const successor = record.successor ? this.successors.open(record.successor) : undefined;
    const sid = record.sessionId;
    if (
      user?.canAuthenticate &&
      successor &&
      record.rotatedAt &&
      Date.now() - record.rotatedAt.getTime() <= graceMs
    ) {
      const access = await this.sign(
        'access',
        user,
        { ...(await this.customClaims(user)), ...amr },
        sid ?? undefined,
      );
      return { access: access.token, refresh: successor, user };
    }
    if (sid && record.userId !== null) {
      await this.sessions.end(record.userId, sid, 'reuse_detected');
      await this.events.emit(GatehouseEvent.tokenReuseDetected, {
        userId: record.userId,
        sessionId: sid,
        surface,
      });
    }
    throw new TokenError('Token is blacklisted');
  }

  /**
   * Logs a refresh token out (dj-rest-auth's logout, SimpleJWT's blacklist view):
   * blacklisted, and its session ended with every credential of it, access JWTs
   * included. False when it already was blacklisted.
   */
  async logout(claims: TokenClaims, token: string): Promise<boolean> {
    const blacklisted = await this.blacklist(claims, token);
    const record = await this.outstanding.findOneBy({ jti: claims.jti });
    const sid = claims.sid ?? record?.sessionId;
    if (sid && record?.userId) await this.sessions.end(record.userId, sid, 'logout');
    return blacklisted;
  }

  /**
   * Blacklists a verified refresh token. Returns false when it already was
   * (by this or another instance): the unique token_id decides.
   */
  async blacklist(claims: TokenClaims, token: string): Promise<boolean> {
    // The token's user may be gone since; its record then names no user.
    const owner = await this.users.findById(claims.user_id);
    const record = await this.recordRefresh({ token, claims }, owner ? owner.id : null);
    try {
      await this.blacklisted.insert({ tokenId: record.id, blacklistedAt: new Date() });
      return true;
    } catch (error) {
      if (error instanceof QueryFailedError) return false;
      throw error;
    }
  }

  /** Blacklists a refresh-token record unless it already is. */
  private async blacklistRecord(tokenId: number): Promise<void> {
    await this.blacklisted
      .createQueryBuilder()
      .insert()
      .values({ tokenId, blacklistedAt: new Date() })
      .orIgnore()
      .execute();
  }

  /** Blacklists every live refresh token of a user (a password change logs them out); returns how many. */
  async blacklistAllFor(userId: number): Promise<number> {
    const live = await this.outstanding.find({
      where: { userId, expiresAt: MoreThan(new Date()) },
      select: { id: true },
    });
    for (const { id } of live) await this.blacklistRecord(id);
    return live.length;
  }

  /** `flushexpiredtokens`: removes refresh-token rows that have expired. */
  async flushExpired(now = new Date()): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager
        .getRepository(OutstandingToken)
        .delete({ expiresAt: LessThan(now) });
      return result.affected ?? 0;
    });
  }

  private async isBlacklisted(jti: string): Promise<boolean> {
    return this.blacklisted
      .createQueryBuilder('b')
      .innerJoin(OutstandingToken, 'o', 'o.id = b.token_id')
      .where('o.jti = :jti', { jti })
      .getExists();
  }

  /** Records a refresh token this service has just minted: its jti is new, so a plain insert. */
  private async recordIssued(
    refresh: { token: string; claims: TokenClaims },
    userId: number,
    sessionId: string,
  ): Promise<void> {
    await this.insertOutstanding.insert({ ...outstandingRow(refresh, userId), sessionId });
  }

  /** The record of a refresh token, written first if no instance has recorded it yet. */
  private async recordRefresh(
    refresh: { token: string; claims: TokenClaims },
    userId: number | null,
  ): Promise<OutstandingToken> {
    const existing = await this.outstanding.findOneBy({ jti: refresh.claims.jti });
    if (existing) return existing;
    await this.outstanding
      .createQueryBuilder()
      .insert()
      .values(outstandingRow(refresh, userId))
      .orIgnore()
      .execute();
    return this.outstanding.findOneByOrFail({ jti: refresh.claims.jti });
  }

  private async customClaims(user: User): Promise<Record<string, unknown>> {
    const extra = { ...(await this.claims.claimsFor(user)) };
    for (const reserved of RESERVED_CLAIMS) delete extra[reserved];
    return extra;
  }

  private async sign(
    type: TokenType,
    user: User,
    extra: Record<string, unknown>,
    sid: string | undefined,
    lifetimeSeconds?: number,
  ): Promise<{ token: string; claims: TokenClaims }> {
    const iat = Math.floor(Date.now() / 1000);
    const lifetime =
      lifetimeSeconds ??
      (type === 'access'
        ? this.config.jwt.accessTokenLifetime
        : this.config.jwt.refreshTokenLifetime);
    // SimpleJWT's claims first, in its order, then fastapi-users' (access tokens only:
    // fastapi-users checks no token_type, so its audience would make a refresh token
    // an access credential there), then custom ones.
    const claims: TokenClaims = {
      token_type: type,
      exp: iat + lifetime,
      iat,
      jti: randomUUID().replace(/-/g, ''),
      user_id: user.id,
      ...(sid === undefined ? {} : { sid }),
      ...(type === 'access' ? { sub: user.uuid, aud: [FASTAPI_USERS_AUDIENCE] } : {}),
      ...extra,
    };
    // JwtService signs with the pinned algorithm, the KeyObject and its `kid`.
    return { token: await this.jwt.signAsync({ ...claims }), claims };
  }
}

/**
 * SimpleJWT's `Token.verify()` on a payload whose signature and expiry are
 * verified, in its order: an `exp`, a `jti`, then (for a typed token) the type.
 * An untyped check (`expected` absent) is SimpleJWT's UntypedToken: the verify view.
 */
export function checkClaims(payload: unknown, expected?: TokenType): TokenClaims {
  if (payload === null || typeof payload !== 'object') {
    throw new TokenError('Token is invalid or expired');
  }
  const claims = payload as Partial<TokenClaims>;
  if (!('exp' in claims)) throw new TokenError("Token has no 'exp' claim");
  if (!('jti' in claims)) throw new TokenError('Token has no id');
  if (expected) {
    if (!('token_type' in claims)) throw new TokenError('Token has no type');
    if (claims.token_type !== expected) throw new TokenError('Token has wrong type');
  }
  return withIntegerUserId(claims as TokenClaims);
}

/**
 * The `amr` claim (RFC 8176) of a login that took a second factor; nothing at all
 * otherwise, so one-factor tokens keep the mirrored libraries' claim sets.
 */
function amrClaim(amr: unknown): { amr?: string[] } {
  return Array.isArray(amr) && amr.length > 0 && amr.every((m) => typeof m === 'string')
    ? { amr: [...amr] }
    : {};
}

/** A pk written as SimpleJWT 5.5 writes it: the integer's own decimal digits, nothing looser. */
const DECIMAL_USER_ID = /^(?:0|[1-9][0-9]*)$/;

/**
 * SimpleJWT 5.5 mints `"user_id": "3"` (a string) and its JWTAuthentication looks the
 * pk up either way; Gatehouse reads both forms as the integer (and mints the integer).
 */
function withIntegerUserId(claims: TokenClaims): TokenClaims {
  const userId: unknown = claims.user_id;
  return typeof userId === 'string' && DECIMAL_USER_ID.test(userId)
    ? { ...claims, user_id: Number(userId) }
    : claims;
}

/** The `user_id` claim when it can name a user (SimpleJWT reads it after verifying). */
export function userIdOf(claims: TokenClaims): number | undefined {
  return Number.isSafeInteger(claims.user_id) ? claims.user_id : undefined;
}

const OUTSTANDING_ROW_FIELDS = [
  'userId',
  'sessionId',
  'jti',
  'tokenSha256',
  'createdAt',
  'expiresAt',
] as const satisfies readonly (keyof OutstandingToken)[];
type OutstandingRowField = (typeof OUTSTANDING_ROW_FIELDS)[number];

/** SimpleJWT's OutstandingToken row of a refresh token (its digest, never the token). */
function outstandingRow(
  refresh: { token: string; claims: TokenClaims },
  userId: number | null,
): Pick<OutstandingToken, OutstandingRowField> {
  return {
    userId,
    sessionId: refresh.claims.sid ?? null,
    jti: refresh.claims.jti,
    tokenSha256: sha256Hex(refresh.token),
    // SimpleJWT before 5 wrote no `iat`: such a token is recorded when it is first seen.
    createdAt: Number.isFinite(refresh.claims.iat)
      ? new Date(refresh.claims.iat * 1000)
      : new Date(),
    expiresAt: new Date(refresh.claims.exp * 1000),
  };
}
