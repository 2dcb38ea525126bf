import { createHash } from 'node:crypto';
import type { GatehouseConfig } from '../../config/gatehouse-config';

/**
 * The server secret that HMAC-signed links (e-mail confirmation, password reset)
 * derive their keys from, as Django's SECRET_KEY: the HS256 secret, or a digest
 * of the private key with asymmetric algorithms. Each use salts it differently.
 */
export function appSecret(config: GatehouseConfig): Buffer {
  const material = config.jwt.secret ?? config.jwt.privateKey ?? '';
  return createHash('sha256').update('gatehouse.app-secret').update(material).digest();
}
