import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type HttpReply, type HttpRequest, setHeader } from './http-seam';
import { GatehouseConfig } from '../config/gatehouse-config';
import { safeEqual } from '../infra/crypto/signing';
import { CsrfFailed } from '../problems/domain.errors';
import { type CookieOptions, parseCookies, serializeCookie } from './cookies';

/** Django's CSRF cookie, header and form field names. */
export const CSRF_COOKIE = 'csrftoken';
export const CSRF_HEADER = 'x-csrftoken';
export const CSRF_FIELD = 'csrfmiddlewaretoken';
/** Django's CSRF_ALLOWED_CHARS, its secret's length, and a masked token's (Django before 4.0, its forms). */
const CSRF_CHARS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const SECRET_LENGTH = 32;
const MASKED_LENGTH = 64;
/** Django's CSRF_COOKIE_AGE: one year. */
const CSRF_COOKIE_AGE = 31449600;
/** How Django names the header in its reasons (`HttpHeaders.parse_header_name`). */
const HEADER_SOURCE = "the 'X-Csrftoken' HTTP header";
const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/** Methods that change nothing, which Django's CSRF middleware lets through. */
export function isSafeMethod(method: string): boolean {
  return ['GET', 'HEAD', 'OPTIONS', 'TRACE'].includes(method.toUpperCase());
}

/** What is wrong with a token's shape, in Django's words (`InvalidTokenFormat`); undefined if nothing. */
function formatProblem(token: string): string | undefined {
  if (token.length !== SECRET_LENGTH && token.length !== MASKED_LENGTH) {
    return 'has incorrect length';
  }
  return /[^a-zA-Z0-9]/.test(token) ? 'has invalid characters' : undefined;
}

/** A well-formed token's secret: a masked one (mask + cipher) unmasked, as Django does. */
function secretOf(token: string): string {
  if (token.length === SECRET_LENGTH) return token;
  let secret = '';
  for (let i = 0; i < SECRET_LENGTH; i++) {
    const cipher = CSRF_CHARS.indexOf(token[SECRET_LENGTH + i]);
    const mask = CSRF_CHARS.indexOf(token[i]);
    secret += CSRF_CHARS[(cipher - mask + CSRF_CHARS.length) % CSRF_CHARS.length];
  }
  return secret;
}

/**
 * The browser's CSRF token, set as a cookie when it has none (or a malformed
 * one): 32 of Django's characters, so a `csrftoken` a Django deployment set on
 * the same domain keeps working. Not secret and readable by scripts (as
 * Django's): the protection is that another site can neither read it nor send
 * the header or field that must echo it.
 */
export function ensureCsrfToken(
  request: HttpRequest,
  reply: HttpReply,
  attributes: Pick<CookieOptions, 'secure' | 'sameSite'>,
): string {
  const existing = parseCookies(request.headers.cookie)[CSRF_COOKIE];
  if (existing !== undefined && formatProblem(existing) === undefined) return existing;
  let token = '';
  for (let i = 0; i < SECRET_LENGTH; i++) token += CSRF_CHARS[randomInt(CSRF_CHARS.length)];
  setHeader(
    reply,
    'Set-Cookie',
    serializeCookie(CSRF_COOKIE, token, { maxAge: CSRF_COOKIE_AGE, ...attributes }),
  );
  return token;
}

/** An origin as browsers send it (`https://app.example.com`, default port left out), lower-case. */
function normalizedOrigin(origin: string): string {
  return new URL(origin).origin;
}

/** Django's `is_same_domain`: `pattern` is a host, or `.example.com` for it and its subdomains. */
function isSameDomain(host: string, pattern: string): boolean {
  return pattern.startsWith('.')
    ? host.endsWith(pattern) || host === pattern.slice(1)
    : host === pattern;
}

/**
 * Django 4's CsrfViewMiddleware, which dj-rest-auth's cookie authentication and
 * Django's forms run on every unsafe request: the `Origin` header must name a
 * trusted origin (over HTTPS without one, the `Referer` must), then the token
 * posted in `csrfmiddlewaretoken` or sent in `X-CSRFToken` must match the
 * `csrftoken` cookie. Trusted: the origin the request was sent to (scheme and
 * Host, as Django's), PUBLIC_URL's, CORS_ALLOWED_ORIGINS (never `*`) and
 * CSRF_TRUSTED_ORIGINS (with Django's `https://*.example.com` wildcards).
 */
@Injectable()
export class CsrfCheck {
  private readonly origins: ReadonlySet<string>;
  /** CSRF_TRUSTED_ORIGINS' wildcards: the scheme, and `.example.com` for `*.example.com`. */
  private readonly wildcards: readonly { scheme: string; domain: string }[];
  /** The hosts (with port) a Referer may name. */
  private readonly refererHosts: readonly string[];

  constructor(config: GatehouseConfig) {
    const exact = [
      ...(config.publicUrl ? [config.publicUrl] : []),
      ...(config.corsAllowedOrigins ?? []).filter((origin) => origin !== '*'),
      ...(config.csrfTrustedOrigins ?? []).filter((origin) => !origin.includes('*')),
    ].map(normalizedOrigin);
    this.origins = new Set(exact);
    this.wildcards = (config.csrfTrustedOrigins ?? [])
      .filter((origin) => origin.includes('*'))
      .map((origin) => {
        const [scheme, host] = origin.toLowerCase().split('://*');
        return { scheme, domain: host };
      });
    this.refererHosts = [
      ...exact.map((origin) => new URL(origin).host),
      ...this.wildcards.map((wildcard) => wildcard.domain),
    ];
  }

  /**
   * Lets a safe method through; otherwise checks the request as Django does.
   * @throws CsrfFailed (DRF's 403 `CSRF Failed: …`, in Django's words)
   */
  check(request: HttpRequest): void {
    if (isSafeMethod(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (!this.originTrusted(request, origin)) {
        throw new CsrfFailed(
          `Origin checking failed - ${origin} does not match any trusted origins.`,
        );
      }
    } else if (request.protocol === 'https') {
      this.checkReferer(request);
    }
    checkToken(request);
  }

  private originTrusted(request: HttpRequest, origin: string): boolean {
    if (request.headers.host && origin === `${request.protocol}://${request.headers.host}`) {
      return true;
    }
    if (this.origins.has(origin)) return true;
    const match = /^([a-z][a-z0-9+.-]*):\/\/([^/]+)$/i.exec(origin);
    if (!match) return false;
    const [, scheme, host] = match;
    return this.wildcards.some(
      (wildcard) => wildcard.scheme === scheme.toLowerCase() && isSameDomain(host, wildcard.domain),
    );
  }

  private checkReferer(request: HttpRequest): void {
    const referer = request.headers.referer;
    if (referer === undefined) throw new CsrfFailed('Referer checking failed - no Referer.');
    let url: URL;
    try {
      url = new URL(referer);
    } catch {
      throw new CsrfFailed('Referer checking failed - Referer is malformed.');
    }
    if (!url.host) throw new CsrfFailed('Referer checking failed - Referer is malformed.');
    if (url.protocol !== 'https:') {
      throw new CsrfFailed('Referer checking failed - Referer is insecure while host is secure.');
    }
    const hosts = [...this.refererHosts, ...(request.headers.host ? [request.headers.host] : [])];
    if (!hosts.some((host) => isSameDomain(url.host, host.toLowerCase()))) {
      throw new CsrfFailed(
        `Referer checking failed - ${referer} does not match any trusted origins.`,
      );
    }
  }
}

/** Django's `_check_token`: the cookie's secret against the form field's or the header's token. */
function checkToken(request: HttpRequest): void {
  const cookie = parseCookies(request.headers.cookie)[CSRF_COOKIE];
  if (cookie === undefined) throw new CsrfFailed('CSRF cookie not set.');
  const cookieProblem = formatProblem(cookie);
  if (cookieProblem) throw new CsrfFailed(`CSRF cookie ${cookieProblem}.`);

  let token = formField(request);
  let source = 'POST';
  if (token === '') {
    const header = request.headers[CSRF_HEADER];
    if (header === undefined) throw new CsrfFailed('CSRF token missing.');
    token = Array.isArray(header) ? header.join(', ') : header;
    source = HEADER_SOURCE;
  }
  const problem = formatProblem(token);
  if (problem) throw new CsrfFailed(`CSRF token from ${source} ${problem}.`);
  if (!safeEqual(secretOf(token), secretOf(cookie))) {
    throw new CsrfFailed(`CSRF token from ${source} incorrect.`);
  }
}

/** Django reads `csrfmiddlewaretoken` from a POSTed form only (`request.POST`). */
function formField(request: HttpRequest): string {
  if (request.method !== 'POST' || !FORM_TYPES.test(request.headers['content-type'] ?? '')) {
    return '';
  }
  const value = (request.body as Record<string, unknown> | null | undefined)?.[CSRF_FIELD];
  return typeof value === 'string' ? value : '';
}
