import { isIP } from 'node:net';

/**
 * Which peers may speak for the client through `X-Forwarded-*`, in the forms
 * Fastify's `trustProxy` takes: everyone (`true`), no one (`false`), the last
 * n hops, or a list of proxy addresses and CIDR ranges.
 */
export type TrustProxy = boolean | number | readonly string[];

/** proxy-addr's names for the reserved ranges (`loopback` is 127.0.0.1/8 and ::1/128). */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * `TRUST_PROXY`'s value: `true`/`false` (and their Django-style spellings), a
 * hop count (`1`, `2`…; `0` is `false`), or comma-separated addresses, CIDRs and
 * range names. Undefined when it is none of those.
 */
export function parseTrustProxy(text: string): TrustProxy | undefined {
  const value = text.trim().toLowerCase();
  if (['true', 'yes', 'on'].includes(value)) return true;
  if (['false', 'no', 'off', '', '0'].includes(value)) return false;
  if (/^\d{1,3}$/.test(value)) return Number(value);
  const entries = value.split(',').map((entry) => entry.trim());
  return entries.every(isTrustedProxyEntry) ? entries : undefined;
}

function isTrustedProxyEntry(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * Django's host syntax (`django.http.request.host_validation_re`): a name or an
 * IPv4 address, or an IPv6 address in brackets, then an optional port.
 */
const HOST_SYNTAX = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$/;

/** The host name of a `Host` value, lowercased, port and final dot dropped; undefined when unparsable. */
export function hostName(host: string): string | undefined {
  const lower = host.toLowerCase();
  const match = HOST_SYNTAX.exec(lower);
  if (!match) return undefined;
  return match[1].replace(/\.$/, '');
}

/**
 * Whether an `ALLOWED_HOSTS` entry is one Django accepts: `*`, a name
 * (`auth.example.com`), a name's subdomains with itself (`.example.com`), or an
 * IP address (IPv6 in brackets).
 */
export function isAllowedHostPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  const match = HOST_SYNTAX.exec(pattern.toLowerCase().replace(/^\./, ''));
  return match !== null && match[2] === undefined;
}

/** Django's `validate_host`: whether a host name matches one of the (lowercased) patterns. */
export function isAllowedHost(name: string, patterns: readonly string[]): boolean {
  return patterns.some(
    (pattern) =>
      pattern === '*' ||
      (pattern.startsWith('.') && (name.endsWith(pattern) || name === pattern.slice(1))) ||
      name === pattern,
  );
}
