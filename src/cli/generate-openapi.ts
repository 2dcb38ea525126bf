import 'reflect-metadata';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { renderOpenApiJson } from './openapi-json';

/** The file `npm run docs:openapi` writes, unless given another path. */
const DEFAULT_TARGET = 'docs/openapi.json';

/** Writes the OpenAPI document of the app, built without listening (`npm run docs:openapi`). */
async function generate(target = resolve(process.argv[2] ?? DEFAULT_TARGET)): Promise<void> {
  const json = await renderOpenApiJson();
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, json);
  process.stdout.write(`wrote ${relative(process.cwd(), target) || target}\n`);
}

generate().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
