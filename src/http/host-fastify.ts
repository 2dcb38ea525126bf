import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * The `fastify` module that `@nestjs/platform-fastify` itself loads, so values
 * handed to the host's Fastify (a `LogController`, which it checks with
 * `instanceof`) and errors thrown into it come from the same copy. The host's
 * adapter may pin a Fastify other than Gatehouse's own (platform-fastify 11
 * ships 5.11, 12 ships 5.12): a second copy installs beside it, and Fastify
 * refuses a `LogController` of that copy ("logController must be an instance of
 * LogController").
 */
let loaded: typeof import('fastify') | undefined;

/**
 * The built package is CommonJS; under an ES-module runner (Jest's VM modules)
 * there is no `require`, and the app's own directory is where its packages are.
 */
function loader(): NodeJS.Require {
  return typeof require === 'function' ? require : createRequire(join(process.cwd(), 'index.js'));
}

/**
 * Resolved on first use, never at import: an Express host has no
 * `@nestjs/platform-fastify`, and then Gatehouse's own Fastify is the one.
 */
export function hostFastify(): typeof import('fastify') {
  if (loaded) return loaded;
  const load = loader();
  try {
    loaded = createRequire(load.resolve('@nestjs/platform-fastify'))(
      'fastify',
    ) as typeof import('fastify');
  } catch {
    loaded = load('fastify') as typeof import('fastify');
  }
  return loaded;
}

/**
 * `@nestjs/platform-fastify`'s `FastifyAdapter`, for `createGatehouseApp`. Loaded on
 * first use, never at import: the package entry (and the testing kit) load this
 * module in an Express host too, which has no `@nestjs/platform-fastify`. Imported,
 * not required: Nest 12 ships ES modules, which Jest's VM modules cannot `require`.
 */
export async function fastifyAdapterClass(): Promise<
  typeof import('@nestjs/platform-fastify').FastifyAdapter
> {
  try {
    return (await import('@nestjs/platform-fastify')).FastifyAdapter;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'MODULE_NOT_FOUND' && code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      'createGatehouseApp runs the app on Fastify: install @nestjs/platform-fastify, or create ' +
        'the app with NestFactory.create(AppModule) on Express (@nestjs/platform-express).',
    );
  }
}
