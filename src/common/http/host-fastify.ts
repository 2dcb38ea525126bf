import { createRequire } from 'node:module';

/**
 * The `fastify` module that `@nestjs/platform-fastify` itself loads, so values
 * handed to the host's Fastify (a `LogController`, which it checks with
 * `instanceof`) and errors thrown into it come from the same copy. The host's
 * adapter may pin a Fastify other than Gatehouse's own (platform-fastify 11
 * ships 5.11, 12 ships 5.12): a second copy installs beside it, and Fastify
 * refuses a `LogController` of that copy ("logController must be an instance of
 * LogController").
 */
export const hostFastify = createRequire(require.resolve('@nestjs/platform-fastify'))(
  'fastify',
) as typeof import('fastify');
