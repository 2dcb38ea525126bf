import type { HttpRequest } from '../http/http-seam';

/** An `Authorization` header as DRF's authenticators split it: the scheme word, then the credential's words. */
export interface Authorization {
  word: string;
  credentials: readonly string[];
}

/** The request's `Authorization` header, split; undefined without one. */
export function authorizationOf(request: HttpRequest): Authorization | undefined {
  const [word, ...credentials] = (request.headers.authorization ?? '').trim().split(/\s+/);
  return word ? { word, credentials } : undefined;
}

/**
 * What the registry hands a scheme's strategy with the request, as passport's
 * `authenticate` options: the header's words after the scheme (none for the cookie).
 */
export interface SchemeRun {
  session: false;
  credentials: readonly string[];
}
