import type { FastifyInstance } from 'fastify';
import { hostName, isAllowedHost } from '../config/proxy-and-hosts';
import type { RouteTable } from './route-table';
import { decodablePath, statusBody } from './transport-errors';

/**
 * Django's DisallowedHost, before routing: a `Host` (or, from a trusted proxy,
 * `X-Forwarded-Host`) that is no host at all, or with ALLOWED_HOSTS one that is
 * not listed, is a 400 in the dialect of the path's surface. Gatehouse writes no
 * link from the Host (PUBLIC_URL is their base); this keeps a forged one from
 * reaching anything else, and lets a deployment answer only its own names.
 * A request with no Host at all (HTTP/1.0) names nothing and passes.
 */
export function refuseDisallowedHosts(
  instance: FastifyInstance,
  allowedHosts: readonly string[] | undefined,
  routes: RouteTable,
): void {
  const allowed = hostRule(allowedHosts);
  instance.addHook('onRequest', (request, reply, done) => {
    if (allowed(request.host)) return done();
    void reply
      .status(400)
      .header('content-type', 'application/json')
      .send(statusBody(routes.dialectAt(decodablePath(request.url)), 400));
  });
}

/** ALLOWED_HOSTS as a test of a request's host (with its port; '' when it named none). */
export function hostRule(allowedHosts: readonly string[] | undefined): (host: string) => boolean {
  const patterns = !allowedHosts || allowedHosts.includes('*') ? undefined : allowedHosts;
  return (host) => {
    const name = host === '' ? '' : hostName(host);
    return name === '' || (name !== undefined && (!patterns || isAllowedHost(name, patterns)));
  };
}
