import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { HttpRequest } from '../http/http-seam';
import { UsersService } from '../accounts/users.service';
import { AuthCache } from '../access/auth-cache.service';
import type { AuthenticatedUser } from '../access/auth-scheme';
import { AuthSchemeRegistry } from '../access/auth-scheme.registry';
import { RequestStrategy } from '../access/request-strategy';
import { AuthenticationFailed } from '../problems/domain.errors';
import { inRequestContext } from '../http/request-context';
import { type MaybePromise, whenReady } from '../infra/when-ready';
import { SessionsService } from '../sessions/sessions.service';
import { TokenKeyService } from './token-key.service';

/** DRF's TokenAuthentication answers with its own challenge. */
const failed = (detail: string) => new AuthenticationFailed({ detail }, 'Token');

export const TOKEN_STRATEGY = 'gatehouse-token';

/** DRF's TokenAuthentication for `Authorization: Token <key>`, its errors to the letter. */
@Injectable()
export class TokenStrategy
  extends PassportStrategy(RequestStrategy, TOKEN_STRATEGY)
  implements OnModuleInit
{
  constructor(
    private readonly registry: AuthSchemeRegistry,
    private readonly keys: TokenKeyService,
    private readonly users: UsersService,
    private readonly cache: AuthCache,
    private readonly sessions: SessionsService,
  ) {
    super();
  }

  onModuleInit(): void {
    this.registry.register({ schemes: ['Token'], strategy: this });
  }

  /** Key and user come from the auth cache: a warm request makes no promise. */
  validate(request: HttpRequest): MaybePromise<AuthenticatedUser> {
    const credentials = request.authorizationCredentials ?? [];
    if (credentials.length === 0) throw failed('Invalid token header. No credentials provided.');
    if (credentials.length > 1)
      throw failed('Invalid token header. Token string should not contain spaces.');
    // A cache miss reads (and may import a legacy key) inside the request's context.
    const inContext = <T>(work: () => T) => inRequestContext(request, work);
    return whenReady(this.keys.findForRequest(credentials[0], inContext), (record) => {
      // A key of an ended session is gone: on another instance, its cached entry is refused here.
      if (!record || this.sessions.isEnded(record.sessionId)) throw failed('Invalid token.');
      const user = this.cache.user(record.userId, () =>
        inContext(() => this.users.findById(record.userId)),
      );
      return whenReady(user, (found): AuthenticatedUser => {
        if (!found?.canAuthenticate) throw failed('User inactive or deleted.');
        if (record.sessionId) {
          this.sessions.touch(record.sessionId, request.headers['user-agent'], request.ip);
        }
        return { user: found, credential: { tokenKeyId: record.id, sessionId: record.sessionId } };
      });
    });
  }
}
