import type { GatehouseConfig } from '../config/gatehouse-config';
import { HttpClient, type HttpResponse } from './http-client';

/**
 * How a logged-in client proves who it is:
 * `JWT` — `Authorization: JWT <access>` from djoser + SimpleJWT's `/accounts/auth/jwt/create/`;
 * `Bearer` — `Authorization: Bearer <access_token>` from fastapi-users' `/auth/jwt/login`;
 * `Token` — `Authorization: Token <key>` from dj-rest-auth's `/auth/login/`;
 * `cookie` — dj-rest-auth's JWT cookie mode: the cookies `/auth/login/` sets, with the
 *   CSRF token echoed in `X-CSRFToken` on unsafe methods (needs `JWT_AUTH_COOKIE`).
 */
export type LoginScheme = 'JWT' | 'Bearer' | 'Token' | 'cookie';

/** Where each scheme logs in: the seed paths, unless the app mounts a surface elsewhere. */
export type LoginPaths = Record<LoginScheme, string>;

export const DEFAULT_LOGIN_PATHS: LoginPaths = {
  JWT: '/accounts/auth/jwt/create/',
  Bearer: '/auth/jwt/login',
  Token: '/auth/login/',
  cookie: '/auth/login/',
};

/** Whom to log in: a user made by `createUser`, or any e-mail and password. */
export interface LoginCredentials {
  email: string;
  password: string;
}

/** What the login answered, kept on the client. */
export interface IssuedCredentials {
  access?: string;
  refresh?: string;
  key?: string;
}

/** An HttpClient whose every request carries a login's credential. */
export class LoggedInClient extends HttpClient {
  constructor(
    baseUrl: string,
    options: ConstructorParameters<typeof HttpClient>[1],
    readonly scheme: LoginScheme,
    readonly credentials: IssuedCredentials,
    /** The login's answer, as received. */
    readonly login: HttpResponse,
  ) {
    super(baseUrl, options);
  }
}

/**
 * Logs in over HTTP, through the scheme's real login endpoint, as a user's
 * client would, and returns a client that sends the credential it was given.
 * A refused login throws, saying what the endpoint answered.
 */
export async function logIn(
  baseUrl: string,
  config: GatehouseConfig,
  who: LoginCredentials,
  scheme: LoginScheme,
  paths: Partial<LoginPaths> = {},
): Promise<LoggedInClient> {
  const path = paths[scheme] ?? DEFAULT_LOGIN_PATHS[scheme];
  const anonymous = new HttpClient(baseUrl);
  const refused = (response: HttpResponse, why = ''): never => {
    throw new Error(
      `loginAs(${who.email}, '${scheme}'): POST ${path} answered ${response.status} ${response.text}${why}`,
    );
  };
  switch (scheme) {
    case 'JWT': {
      const response = await anonymous.post(path, { email: who.email, password: who.password });
      const body = response.body as { access?: string; refresh?: string } | undefined;
      if (response.status !== 200 || !body?.access) return refused(response);
      return new LoggedInClient(
        baseUrl,
        { headers: { authorization: `JWT ${body.access}` } },
        scheme,
        { access: body.access, refresh: body.refresh },
        response,
      );
    }
    case 'Bearer': {
      const response = await anonymous.request('POST', path, {
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: who.email, password: who.password }).toString(),
      });
      const body = response.body as { access_token?: string } | undefined;
      if (response.status !== 200 || !body?.access_token) return refused(response);
      return new LoggedInClient(
        baseUrl,
        { headers: { authorization: `Bearer ${body.access_token}` } },
        scheme,
        { access: body.access_token },
        response,
      );
    }
    case 'Token': {
      const response = await anonymous.post(path, { email: who.email, password: who.password });
      const body = response.body as { key?: string; refresh_token?: string } | undefined;
      if (response.status !== 200) return refused(response);
      if (!body?.key) return refused(response, ' (no key: REST_AUTH_TOKEN=jwt issues none)');
      return new LoggedInClient(
        baseUrl,
        { headers: { authorization: `Token ${body.key}` } },
        scheme,
        { key: body.key },
        response,
      );
    }
    case 'cookie': {
      const cookieName = config.jwtCookies.access;
      if (!cookieName) {
        throw new Error(
          `loginAs(${who.email}, 'cookie'): cookie mode is off; start the app with env JWT_AUTH_COOKIE (and JWT_AUTH_REFRESH_COOKIE)`,
        );
      }
      const client = new HttpClient(baseUrl, { cookies: true });
      const response = await client.post(path, { email: who.email, password: who.password });
      if (response.status !== 200 || !client.cookies.has(cookieName)) return refused(response);
      const refreshName = config.jwtCookies.refresh;
      const logged = new LoggedInClient(
        baseUrl,
        { cookies: true },
        scheme,
        {
          access: client.cookies.get(cookieName),
          refresh: refreshName ? client.cookies.get(refreshName) : undefined,
        },
        response,
      );
      for (const [name, value] of client.cookies) logged.cookies.set(name, value);
      return logged;
    }
    default:
      throw new Error(`loginAs: unknown scheme ${JSON.stringify(scheme)}`);
  }
}
