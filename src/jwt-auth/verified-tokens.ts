import { BoundedCache } from '../infra/bounded-cache';

/**
 * Access tokens whose signature was verified, by their exact text: a repeat
 * request with the same token skips the signature check (fast-jwt's verifier
 * cache does the same). Only what verification proves is cached — the claims;
 * `exp` and `nbf` are checked on every use, and everything about the user and
 * the session is checked after, on every request, as for a fresh token. The
 * text includes the signature, so a hit is a token this process verified.
 */
export class VerifiedTokens {
  private readonly claims?: BoundedCache<string, object>;

  /** @param size entries kept (USER_CACHE_SIZE); 0 turns the cache off */
  constructor(size: number) {
    if (size > 0) this.claims = new BoundedCache<string, object>(size);
  }

  /** The claims of a token verified before and still within its validity window. */
  get(token: string, nowSeconds = Date.now() / 1000): object | undefined {
    const claims = this.claims?.get(token) as { exp?: unknown; nbf?: unknown } | undefined;
    if (!claims) return undefined;
    if (!withinWindow(claims, nowSeconds)) {
      this.claims!.delete(token);
      return undefined;
    }
    return claims;
  }

  /** Keeps a verified token's claims; one without `exp` is never cached (it would live forever). */
  remember(token: string, claims: unknown): void {
    if (
      typeof claims === 'object' &&
      claims !== null &&
      typeof (claims as { exp?: unknown }).exp === 'number'
    ) {
      this.claims?.set(token, claims);
    }
  }

  /** Forget every verified token (a signing key retired). */
  clear(): void {
    this.claims?.clear();
  }
}

function withinWindow(claims: { exp?: unknown; nbf?: unknown }, now: number): boolean {
  // jsonwebtoken's rules, without clock tolerance (Gatehouse sets none): expired at
  // `now >= exp`, not yet valid while `now < nbf`.
  if (typeof claims.exp !== 'number' || Math.floor(now) >= claims.exp) return false;
  return typeof claims.nbf !== 'number' || Math.floor(now) >= claims.nbf;
}
