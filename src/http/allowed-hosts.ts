import type { FastifyReply, FastifyRequest } from 'fastify';
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
 * Answers the check, run before routing: true when it answered the request.
 */
export function refuseDisallowedHosts(
  allowedHosts: readonly string[] | undefined,
  routes: RouteTable,
): (request: FastifyRequest, reply: FastifyReply) => boolean {
  const allowed = hostRule(allowedHosts);
  // Every request of a deployment names the same host or two: the last one's verdict is kept.
  let lastHost: string | undefined;
  let lastAllowed = false;
  return (request, reply) => {
    const host = request.host;
    if (host !== lastHost) {
      lastAllowed = allowed(host);
      lastHost = host;
    }
    if (lastAllowed) return false;
    void reply
      .status(400)
      .header('content-type', 'application/json')
      .send(statusBody(routes.dialectAt(decodablePath(request.url)), 400));
    return true;
  };
}

/** ALLOWED_HOSTS as a test of a request's host (with its port; '' when it named none). */
export function hostRule(allowedHosts: readonly string[] | undefined): (host: string) => boolean {
  const patterns = !allowedHosts || allowedHosts.includes('*') ? undefined : allowedHosts;
  return (host) => {
    const name = host === '' ? '' : hostName(host);
    return name === '' || (name !== undefined && (!patterns || isAllowedHost(name, patterns)));
  };
}
