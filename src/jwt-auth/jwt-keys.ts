import {
  createHash,
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import type { GatehouseConfig } from '../config/gatehouse-config';
import type { JwtAlgorithm } from '../config/environment';

export interface VerificationKey {
  /** RFC 7638 thumbprint of the public key; absent for HS256 secrets. */
  kid?: string;
  key: KeyObject;
}

/** Raised for a key that cannot serve the configured algorithm; caught at boot. */
export class JwtKeyError extends Error {}

/**
 * The signing key and every key accepted for verification, as KeyObjects (a
 * string secret makes the JWT library rebuild the key on every call). Asymmetric
 * keys carry a `kid` and are published as a JWKS.
 */
export class JwtKeys {
  private constructor(
    readonly algorithm: JwtAlgorithm,
    readonly signingKey: KeyObject,
    readonly kid: string | undefined,
    readonly verificationKeys: readonly VerificationKey[],
  ) {}

  static fromConfig(jwt: GatehouseConfig['jwt']): JwtKeys {
    const { algorithm } = jwt;
    if (algorithm === 'HS256') {
      if (!jwt.secret) throw new JwtKeyError('JWT_SECRET is required for HS256');
      const signingKey = createSecretKey(Buffer.from(jwt.secret, 'utf8'));
      const previous = [...jwt.previousKeys, ...(jwt.previousSecrets ?? [])].map((secret) => ({
        key: createSecretKey(Buffer.from(secret, 'utf8')),
      }));
      return new JwtKeys(algorithm, signingKey, undefined, [{ key: signingKey }, ...previous]);
    }
    if (!jwt.privateKey) throw new JwtKeyError(`a private key is required for ${algorithm}`);
    const signingKey = parsePrivateKey(jwt.privateKey, 'JWT_PRIVATE_KEY');
    checkKeyFits(algorithm, signingKey, 'JWT_PRIVATE_KEY');
    const current = createPublicKey(signingKey);
    const previous = jwt.previousKeys.map((pem) => {
      const key = parsePublicKey(pem);
      checkKeyFits(algorithm, key, 'JWT_PREVIOUS_KEY_FILES');
      return key;
    });
    const verificationKeys = [current, ...previous].map((key) => ({ kid: thumbprint(key), key }));
    return new JwtKeys(algorithm, signingKey, verificationKeys[0].kid, verificationKeys);
  }

  /** The keys a token with this `kid` may have been signed with, current first. */
  candidates(kid: string | undefined): KeyObject[] {
    if (kid === undefined) return this.verificationKeys.map((k) => k.key);
    return this.verificationKeys.filter((k) => k.kid === kid).map((k) => k.key);
  }

  /** The public keys as a JWK Set (empty for HS256: a secret is never published). */
  jwks(): { keys: (JsonWebKey & { kid: string; alg: string; use: 'sig' })[] } {
    return {
      keys: this.verificationKeys
        .filter((k): k is Required<VerificationKey> => k.kid !== undefined)
        .map(({ kid, key }) => ({
          ...key.export({ format: 'jwk' }),
          kid,
          alg: this.algorithm,
          use: 'sig' as const,
        })),
    };
  }
}

function parsePrivateKey(pem: string, variable: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new JwtKeyError(`${variable} is not a PEM private key`);
  }
}

/** A previous key may be given as its private or its public half. */
function parsePublicKey(pem: string): KeyObject {
  try {
    return createPublicKey(pem);
  } catch {
    throw new JwtKeyError('JWT_PREVIOUS_KEY_FILES holds a file that is not a PEM key');
  }
}

function checkKeyFits(algorithm: JwtAlgorithm, key: KeyObject, variable: string): void {
  const details = key.asymmetricKeyDetails ?? {};
  const fits =
    (algorithm === 'RS256' &&
      key.asymmetricKeyType === 'rsa' &&
      (details.modulusLength ?? 0) >= 2048) ||
    (algorithm === 'ES256' &&
      key.asymmetricKeyType === 'ec' &&
      details.namedCurve === 'prime256v1') ||
    (algorithm === 'EdDSA' && key.asymmetricKeyType === 'ed25519');
  if (!fits) {
    const expected = {
      RS256: 'an RSA key of 2048+ bits',
      ES256: 'a P-256 EC key',
      EdDSA: 'an Ed25519 key',
      HS256: '',
    };
    throw new JwtKeyError(`${variable} must be ${expected[algorithm]} for ${algorithm}`);
  }
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) of a public key. */
function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const members: Record<string, string[]> = {
    RSA: ['e', 'kty', 'n'],
    EC: ['crv', 'kty', 'x', 'y'],
    OKP: ['crv', 'kty', 'x'],
  };
  const required = members[jwk.kty ?? ''] ?? [];
  const canonical = JSON.stringify(
    Object.fromEntries(required.map((name) => [name, jwk[name as keyof JsonWebKey]])),
  );
  return createHash('sha256').update(canonical).digest('base64url');
}
