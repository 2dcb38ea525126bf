import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/auth-scheme';
import type { User } from '../accounts/user.entity';
import { GatehouseEvent, type SessionsEndedEvent, type Surface } from '../events/gatehouse-events';
import { GatehouseEvents } from '../events/gatehouse-events.service';
import { type DrfPage, paginate } from '../http/pagination';
import { NotFoundError } from '../problems/domain.errors';
import { SessionsService } from './sessions.service';
import { type SessionView, sessionView } from './session-view';

/** A session id is a UUID: anything else names no session (and never reaches the database). */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who ends sessions, for the audit trail: a surface, staff (`admin`), or the CLI (none). */
export type SessionsEndedBy = SessionsEndedEvent['surface'];

/**
 * Seeing and ending sessions, for their user (`<me>/sessions/` on every surface,
 * the dashboard) and for staff (the admin API, the CLI): the views every surface
 * shows, over SessionsService, each ending announced (`session.ended`, audited).
 */
@Injectable()
export class SessionViewsService {
  constructor(
    private readonly sessions: SessionsService,
    private readonly events: GatehouseEvents,
  ) {}

  /** The caller's live sessions, newest first, `current` marking the requesting one. */
  list(principal: Principal): Promise<SessionView[]> {
    return this.listFor(principal.user, this.sessions.sessionIdOf(principal));
  }

  /** The same, as one DRF page (`page`, `page_size`; absolute links on `url`). */
  page(
    principal: Principal,
    url: string,
    pageText?: string,
    pageSizeText?: string,
  ): Promise<DrfPage<SessionView>> {
    return pageOf(() => this.list(principal), url, pageText, pageSizeText);
  }

  /**
   * Ends one of the caller's sessions (the current one too: that is a logout).
   * @throws NotFoundError when it is not the caller's, or not a live session: never a 403
   */
  end(principal: Principal, sessionId: string, surface: Surface): Promise<void> {
    return this.endOne(principal.user, sessionId, surface);
  }

  /** "Log out other devices": ends every session of the caller but the requesting one. */
  async endOthers(principal: Principal, surface: Surface): Promise<number> {
    const userId = principal.user.id;
    const current = this.sessions.sessionIdOf(principal);
    const count = await this.sessions.endAllExcept(userId, current, 'others_revoked');
    await this.ended({ userId, reason: 'others_revoked', count, surface });
    return count;
  }

  /** A user's live sessions, newest first; `currentId` (the dashboard's cookie) is `current`. */
  async listFor(user: Pick<User, 'id'>, currentId?: string): Promise<SessionView[]> {
    return (await this.sessions.listForUser(user.id)).map((s) => sessionView(s, currentId));
  }

  /** A user's sessions as one DRF page, for staff (none is `current`). */
  pageFor(
    user: Pick<User, 'id'>,
    url: string,
    pageText?: string,
    pageSizeText?: string,
  ): Promise<DrfPage<SessionView>> {
    return pageOf(() => this.listFor(user), url, pageText, pageSizeText);
  }

  /** Ends every session of a user, for staff (`admin`) or the CLI; how many were live. */
  async endAllFor(user: Pick<User, 'id'>, surface?: SessionsEndedBy): Promise<number> {
    const count = await this.sessions.endAll(user.id, 'staff');
    await this.ended({ userId: user.id, reason: 'staff', count, surface });
    return count;
  }

  /**
   * Ends one session of a user: by the user (a surface, the dashboard's button) or
   * for them (the CLI's `--id`, no surface).
   * @throws NotFoundError when the user has no such live session
   */
  async endOne(user: Pick<User, 'id'>, sessionId: string, surface?: Surface): Promise<void> {
    const reason = surface === undefined ? 'staff' : 'revoked';
    const id = sessionId.toLowerCase();
    const ended = SESSION_ID.test(id) && (await this.sessions.end(user.id, id, reason));
    if (!ended) throw new NotFoundError('session');
    await this.ended({ userId: user.id, reason, count: 1, sessionId: id, surface });
  }

  private ended(event: SessionsEndedEvent): Promise<void> {
    return this.events.emit(GatehouseEvent.sessionsEnded, event);
  }
}

/** A user holds few sessions: one read, paged in memory. */
function pageOf(
  read: () => Promise<SessionView[]>,
  url: string,
  pageText?: string,
  pageSizeText?: string,
): Promise<DrfPage<SessionView>> {
  return paginate(
    url,
    pageText,
    pageSizeText,
    async (skip, take) => {
      const all = await read();
      return [all.slice(skip, skip + take), all.length];
    },
    (view) => view,
  );
}
