#!/usr/bin/env node
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { UsersService } from '../accounts/users.service';
import { readDotEnv } from '../config/dotenv';
import { loadConfig } from '../config/load-config';
import { CliModule } from './cli.module';
import { UsageError } from './command';
import { runCommandLine } from './run';

/**
 * `npx gatehouse [--module <file>#<export>] <command> …`: the management
 * commands (Django's manage.py) in a host app. With `--module` (or
 * GATEHOUSE_MODULE) the commands run in an application context of the host's
 * own root module, on its database, with its hashers, validators and entities;
 * without, in the standalone service's, as `npm run cli` does.
 *
 * `<export>` names what the file exports: a module class (`#AppModule`), a
 * DynamicModule, or a factory called with the GatehouseConfig read from the
 * environment and .env (`#AppModule.forRoot`, or any `(config) => module`).
 */
const MODULE_HELP = [
  'Run in a host app: --module ./dist/app.module.js#AppModule (or #AppModule.forRoot, called with',
  'the config from the environment), or GATEHOUSE_MODULE=…; without, the standalone service.',
];

/** Splits the bin's own `--module X` / `--module=X` off the command line. */
export function takeModuleOption(argv: string[]): { spec?: string; rest: string[] } {
  const rest: string[] = [];
  let spec: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--module') {
      spec = argv[++i];
      if (!spec) throw new UsageError('--module needs a value: <file>#<export>');
    } else if (arg.startsWith('--module=')) {
      spec = arg.slice('--module='.length);
    } else {
      rest.push(arg);
    }
  }
  return { spec, rest };
}

/** The root module a `<file>#<export>[.<factory>]` names, loaded from the current directory. */
export async function loadHostModule(spec: string): Promise<Type | DynamicModule> {
  const [file, exported = 'AppModule'] = spec.split('#');
  if (!file) throw new UsageError(`--module must be <file>#<export> (got "${spec}")`);
  const path = resolve(process.cwd(), file);
  let namespace: Record<string, unknown>;
  try {
    namespace = createRequire(`${process.cwd()}/`)(path) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE') {
      namespace = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
    } else if (code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(path)) {
      throw new UsageError(`--module: no such file ${path} (build the app first?)`);
    } else {
      throw error;
    }
  }
  const [name, factory] = exported.split('.');
  const value = namespace[name] ?? (namespace.default as Record<string, unknown>)?.[name];
  if (value === undefined) {
    throw new UsageError(
      `--module: ${file} exports no "${name}" (it exports ${Object.keys(namespace).join(', ') || 'nothing'})`,
    );
  }
  const readConfig = () => {
    readDotEnv();
    return loadConfig(process.env);
  };
  if (factory !== undefined) {
    const method = (value as Record<string, unknown>)[factory];
    if (typeof method !== 'function') {
      throw new UsageError(`--module: ${name}.${factory} is not a function`);
    }
    return (await (method as (config: unknown) => unknown).call(value, readConfig())) as
      Type | DynamicModule;
  }
  const isModuleClass = typeof value === 'function' && Reflect.getMetadataKeys(value).length > 0;
  if (typeof value === 'function' && !isModuleClass) {
    return (await (value as (config: unknown) => unknown)(readConfig())) as Type | DynamicModule;
  }
  return value as Type | DynamicModule;
}

async function main(argv: string[]): Promise<number> {
  let parsed: { spec?: string; rest: string[] };
  try {
    parsed = takeModuleOption(argv);
  } catch (error) {
    console.error(`gatehouse: ${(error as Error).message}`);
    return 2;
  }
  const spec = parsed.spec ?? process.env.GATEHOUSE_MODULE;
  return runCommandLine(
    {
      program: spec ? `gatehouse --module ${spec}` : 'gatehouse',
      globalHelp: MODULE_HELP,
      async openContext(): Promise<INestApplicationContext> {
        const root = spec
          ? await loadHostModule(spec)
          : (readDotEnv(), CliModule.forRoot(loadConfig(process.env)));
        const app = await NestFactory.createApplicationContext(root, {
          logger: false,
          abortOnError: false,
        });
        try {
          app.get(UsersService);
        } catch {
          await app.close();
          throw new UsageError(
            `--module: ${spec} does not import GatehouseModule (no UsersService in it)`,
          );
        }
        return app;
      },
    },
    parsed.rest,
  );
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
