import cors from '@fastify/cors';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { GatehouseConfig } from '../../config/gatehouse-config';

/** JSON keys whose presence means an answer carries a credential (RFC 6749 §5.1). */
const CREDENTIAL_KEYS = /"(access|refresh|access_token|refresh_token|key|token)"\s*:\s*"/;

/**
 * Browser-facing protection on every answer:
 * - helmet's headers, with a CSP Swagger UI (/docs) and the dashboard work under
 *   (their scripts and styles are served by Gatehouse; inline styles are allowed),
 *   frames denied, `nosniff`, `Referrer-Policy: same-origin`, HSTS in production;
 * - CORS for the origins in CORS_ALLOWED_ORIGINS (none by default), credentials
 *   allowed for dj-rest-auth's cookie mode, preflight answered on every route;
 * - `Cache-Control: no-store` and `Pragma: no-cache` on answers carrying a token,
 *   a key or a cookie.
 */
export async function registerSecurityHeaders(
  instance: FastifyInstance,
  config: GatehouseConfig,
): Promise<void> {
  const dashboardOrigin = /^https?:\/\//.test(config.dashboard.url)
    ? new URL(config.dashboard.url).origin
    : undefined;
  await instance.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        'default-src': ["'self'"],
        'base-uri': ["'self'"],
        'connect-src': ["'self'"],
        'font-src': ["'self'", 'data:'],
        // The dashboard's login form may land on a dashboard elsewhere.
        'form-action': ["'self'", ...(dashboardOrigin ? [dashboardOrigin] : [])],
        'frame-ancestors': ["'none'"],
        'img-src': ["'self'", 'data:'],
        'object-src': ["'none'"],
        'script-src': ["'self'"],
        'script-src-attr': ["'none'"],
        'style-src': ["'self'", "'unsafe-inline'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    hsts: config.isProduction ? { maxAge: 31536000, includeSubDomains: true } : false,
    // Swagger UI and the dashboard load nothing cross-origin; these would only get in the way of API clients.
    crossOriginEmbedderPolicy: false,
    crossOriginResourcePolicy: false,
  });

  const origins = config.corsAllowedOrigins ?? [];
  if (origins.length > 0) {
    await instance.register(cors, {
      origin: origins.includes('*') ? true : [...origins],
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      maxAge: 600,
    });
  }

  instance.addHook('onSend', (_request, reply, payload, done) => {
    const carriesCredential =
      reply.hasHeader('set-cookie') ||
      (typeof payload === 'string' && CREDENTIAL_KEYS.test(payload));
    if (carriesCredential) {
      void reply.header('cache-control', 'no-store');
      void reply.header('pragma', 'no-cache');
    }
    done(null, payload);
  });
}
