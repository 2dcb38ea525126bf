import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { parseForm, RawBody } from '../http/body-parsers';

/** Body fields that name who or what a request is about, in the order they are looked for. */
const IDENTIFIER_FIELDS = ['email', 'username', 'uid', 'key', 'token', 'refresh', 'refresh_token'];
/** Query parameters that carry a one-time secret (hijack key, login-link ticket). */
const IDENTIFIER_QUERY = ['token', 'ticket', 'key'];

/**
 * The account (or secret) a request is about: the e-mail or username typed, the
 * token presented, else the credential in the `Authorization` header — hashed, so
 * no counter key (in Redis) holds a secret. Undefined when the request names none.
 */
export function requestIdentifier(request: FastifyRequest): string | undefined {
  // FastAPI routes keep a form body as text until their handler reads it.
  const body = (request.body instanceof RawBody ? parseForm(request.body.text) : request.body) as
    Record<string, unknown> | undefined;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const field of IDENTIFIER_FIELDS) {
      const value = body[field];
      if (typeof value === 'string' && value.trim() !== '') {
        // An e-mail typed into a `username` field names the same account.
        const kind = field === 'email' || field === 'username' ? 'account' : field;
        return digest(`${kind}:${value.trim().toLowerCase()}`);
      }
    }
  }
  const query = request.query as Record<string, unknown> | undefined;
  for (const name of IDENTIFIER_QUERY) {
    const value = query?.[name];
    if (typeof value === 'string' && value !== '') return digest(`${name}:${value}`);
  }
  const authorization = request.headers.authorization;
  if (authorization) return digest(`authorization:${authorization}`);
  return undefined;
}

/** The client's address: the peer, or X-Forwarded-For's client when TRUST_PROXY says the proxy sets it. */
export function clientAddress(request: FastifyRequest): string {
  return request.ip;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}
