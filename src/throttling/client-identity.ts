import { createHash } from 'node:crypto';
import type { HttpRequest } from '../http/http-seam';
import { parseForm, RawBody } from '../http/body-parsers';

/**
 * What names the account (or secret) a throttled request is about: exactly what
 * its handler reads, so a field the handler ignores (a decoy) changes no count.
 */
export interface ThrottleIdentity {
  /**
   * Body fields that name an account (an e-mail or a username), in the order the
   * handler reads them: the first non-blank one counts, one count whichever field.
   */
  account?: readonly string[];
  /** Body fields carrying a token, key or uid the handler checks, in its order. */
  token?: readonly string[];
  /** Query parameters carrying a one-time secret (hijack key, login-link ticket). */
  query?: readonly string[];
  /** Authenticated routes: the user the request's credential authenticated. */
  user?: true;
}

/**
 * Who resolves a typed e-mail or username to its account, so that one account is
 * one count whichever way it is named (AccountsModule provides it).
 */
export const THROTTLE_ACCOUNTS = Symbol('THROTTLE_ACCOUNTS');
export interface ThrottleAccounts {
  /** The id of the account an e-mail or username names, if there is one. */
  accountIdNamed(name: string): Promise<number | undefined>;
}

/**
 * The account (or secret) a request is about, as its route's ThrottleIdentity
 * says — hashed, so no counter key (in Redis) holds a secret. An e-mail or
 * username resolves to its account (the count an authenticated request of the
 * same user meets); a name no account holds counts as typed. Undefined when the
 * request names none.
 */
export async function requestIdentifier(
  request: HttpRequest,
  identity: ThrottleIdentity,
  accounts?: ThrottleAccounts,
): Promise<string | undefined> {
  if (identity.user) {
    const user = request.principal?.user;
    if (user) return digest(`user:${user.id}`);
    // Only if authentication had not run yet: the credential itself.
    const authorization = request.headers.authorization;
    return authorization ? digest(`authorization:${authorization}`) : undefined;
  }
  // FastAPI routes keep a form body as text until their handler reads it.
  const raw: unknown =
    request.body instanceof RawBody ? parseForm(request.body.text) : request.body;
  const body = (
    raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}
  ) as Record<string, unknown>;
  const account = firstNamed(body, identity.account);
  if (account !== undefined) return accountIdentifier(account, accounts);
  for (const field of identity.token ?? []) {
    // A token keeps its field's name: a `uid` and a `token` are not one count.
    const value = firstNamed(body, [field]);
    if (value !== undefined) return digest(`${field}:${value.toLowerCase()}`);
  }
  const query = request.query as Record<string, unknown> | undefined;
  for (const name of identity.query ?? []) {
    const value = query?.[name];
    if (typeof value === 'string' && value !== '') return digest(`${name}:${value}`);
  }
  return undefined;
}

/**
 * The count key of an account named by an e-mail or a username: its account's
 * when one holds the name (the count an authenticated request of that user, or a
 * login under its other name, meets), else the name as typed, case aside.
 */
export async function accountIdentifier(
  name: string,
  accounts?: ThrottleAccounts,
): Promise<string> {
  // Looked up whether or not it exists: the same work either way.
  const id = await accounts?.accountIdNamed(name);
  return digest(id !== undefined ? `user:${id}` : `account:${name.toLowerCase()}`);
}

/** The first of `fields` the body holds as a non-blank string, trimmed. */
function firstNamed(
  body: Record<string, unknown>,
  fields: readonly string[] = [],
): string | undefined {
  for (const field of fields) {
    const value = body[field];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** The client's address: the peer, or X-Forwarded-For's client when TRUST_PROXY says the proxy sets it. */
export function clientAddress(request: HttpRequest): string {
  return request.ip;
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('base64url').slice(0, 32);
}
