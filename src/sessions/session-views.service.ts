import { Injectable } from '@nestjs/common';
import type { Principal } from '../access/auth-scheme';
import type { User } from '../accounts/user.entity';
import { type DrfPage, paginate } from '../http/pagination';
import { NotFoundError } from '../problems/domain.errors';
import { SessionsService } from './sessions.service';
import { type SessionView, sessionView } from './session-view';

/** A session id is a UUID: anything else names no session (and never reaches the database). */
const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Seeing and ending sessions, for their user (`<me>/sessions/` on every surface)
 * and for staff: the views every surface shows, over SessionsService.
 */
@Injectable()
export class SessionViewsService {
  constructor(private readonly sessions: SessionsService) {}

  /** The caller's live sessions, newest first, `current` marking the requesting one. */
  async list(principal: Principal): Promise<SessionView[]> {
    const current = this.sessions.sessionIdOf(principal);
    return (await this.sessions.listForUser(principal.user.id)).map((s) =>
      sessionView(s, current),
    );
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
  end(principal: Principal, sessionId: string): Promise<void> {
    return this.endOne(principal.user, sessionId, 'user');
  }

  /** "Log out other devices": ends every session of the caller but the requesting one. */
  endOthers(principal: Principal): Promise<number> {
    const current = this.sessions.sessionIdOf(principal);
    return this.sessions.endAllExcept(principal.user.id, current, 'user');
  }

  /** A user's live sessions, for staff: none is `current`. */
  async listFor(user: Pick<User, 'id'>): Promise<SessionView[]> {
    return (await this.sessions.listForUser(user.id)).map((s) => sessionView(s));
  }

  /** A user's sessions as one DRF page, for staff. */
  pageFor(
    user: Pick<User, 'id'>,
    url: string,
    pageText?: string,
    pageSizeText?: string,
  ): Promise<DrfPage<SessionView>> {
    return pageOf(() => this.listFor(user), url, pageText, pageSizeText);
  }

  /** Ends every session of a user (staff, the CLI); how many were live. */
  endAllFor(user: Pick<User, 'id'>): Promise<number> {
    return this.sessions.endAll(user.id, 'admin');
  }

  /**
   * Ends one session of a user: by the user (the dashboard's button) or for them (the CLI's `--id`).
   * @throws NotFoundError when the user has no such live session
   */
  async endOne(user: Pick<User, 'id'>, sessionId: string, by: 'user' | 'admin'): Promise<void> {
    const ended =
      SESSION_ID.test(sessionId) &&
      (await this.sessions.end(user.id, sessionId.toLowerCase(), by));
    if (!ended) throw new NotFoundError('session');
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
