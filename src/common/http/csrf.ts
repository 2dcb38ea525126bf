import { randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { safeEqual } from '../crypto/signing';
import { CsrfFailed } from '../errors/domain.errors';
import { parseCookies, serializeCookie } from './cookies';

/** Django's CSRF cookie and header names. */
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;
/** Django's CSRF_COOKIE_AGE: one year. */
const CSRF_COOKIE_AGE = 31449600;

/** Methods that change nothing, which Django's CSRF middleware lets through. */
export function isSafeMethod(method: string): boolean {
  return ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method.toUpperCase());
}

/**
 * The browser's CSRF token, set as a cookie when it has none. Not secret and
 * readable by scripts (as Django's): the protection is that another site can
 * neither read it nor set the header or field that must echo it.
 */
export function ensureCsrfToken(
  request: FastifyRequest,
  reply: FastifyReply,
  secure: boolean,
): string {
  const existing = parseCookies(request.headers.cookie)[CSRF_COOKIE];
  if (existing && TOKEN_SHAPE.test(existing)) return existing;
  const token = randomBytes(32).toString('base64url');
  reply.header(
    'Set-Cookie',
    serializeCookie(CSRF_COOKIE, token, { maxAge: CSRF_COOKIE_AGE, secure }),
  );
  return token;
}

/**
 * Django's double-submit rule: the token posted in a form field or the
 * `X-CSRFToken` header must equal the cookie's.
 * @throws CsrfFailed (DRF's 403 `CSRF Failed: …`)
 */
export function checkCsrf(request: FastifyRequest, submitted?: unknown): void {
  const cookie = parseCookies(request.headers.cookie)[CSRF_COOKIE] ?? '';
  const header = request.headers[CSRF_HEADER];
  const token = typeof submitted === 'string' && submitted !== '' ? submitted : header;
  if (typeof token !== 'string' || !TOKEN_SHAPE.test(cookie) || !safeEqual(cookie, token)) {
    throw new CsrfFailed('CSRF token missing or incorrect.');
  }
}
