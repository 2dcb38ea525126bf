import {
  createPublicKey,
  createSecretKey,
  type JsonWebKeyInput,
  type KeyObject,
} from 'node:crypto';
import { JwtService } from '@nestjs/jwt';

/** Reads a JWT's header and payload without verifying it (tests only). */
export function decodeJwt(token: string): {
  header: Record<string, unknown>;
  payload: Record<string, any>;
} {
  const [header, payload] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header ?? '', 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')),
  };
}

/** Builds an unsigned JWT (`alg: none`) with the given payload. */
export function unsignedJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(payload)}.`;
}

/** SimpleJWT's 401 for a bad, expired or forged access token on an authenticating view. */
export const INVALID_ACCESS_TOKEN_BODY = {
  detail: 'Given token not valid for any token type',
  code: 'token_not_valid',
  messages: [
    { token_class: 'AccessToken', token_type: 'access', message: 'Token is invalid or expired' },
  ],
};

const signer = new JwtService();

/**
 * Signs a JWT with exactly the claims given (no `iat` added), HS256 by default,
 * for tests that forge or hand-craft tokens.
 */
export function signJwt(
  payload: Record<string, unknown>,
  key: string | KeyObject,
  options: { algorithm?: 'HS256' | 'HS512'; expiresIn?: number } = {},
): string {
  return signer.sign(payload, {
    privateKey: typeof key === 'string' ? createSecretKey(Buffer.from(key)) : key,
    algorithm: options.algorithm ?? 'HS256',
    noTimestamp: true,
    ...(options.expiresIn !== undefined ? { expiresIn: options.expiresIn } : {}),
  });
}

/** Verifies a JWT against a public JWK Set, as any client of /.well-known/jwks.json does. */
export function verifyWithJwks(
  token: string,
  jwks: { keys: (JsonWebKey & { kid: string })[] },
  algorithm: string,
): { header: Record<string, unknown>; payload: Record<string, any> } {
  const { header } = decodeJwt(token);
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) throw new Error(`no key ${String(header.kid)} in the JWK Set`);
  const payload = signer.verify<Record<string, any>>(token, {
    publicKey: createPublicKey({
      key: jwk as unknown as JsonWebKeyInput['key'],
      format: 'jwk',
    }) as unknown as string,
    algorithms: [algorithm as 'RS256'],
  });
  return { header, payload };
}
