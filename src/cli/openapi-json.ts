import { createApp } from '../app.factory';
import { loadConfig } from '../config/load-config';
import { createOpenApiDocument } from '../docs/docs.setup';

/**
 * The settings `docs/openapi.json` is generated with. None of them shows in the
 * document; the app only needs them to boot without touching anything: an
 * in-memory database, a fixed secret, no logs. The caller's environment is not
 * read, so every machine generates the same file.
 */
const DOCUMENT_ENVIRONMENT = {
  NODE_ENV: 'test',
  DATABASE_URL: 'sqlite::memory:',
  JWT_SECRET: 'openapi-document-only-secret-0123456789abcdef',
  LOG_LEVEL: 'silent',
};

/** The OpenAPI document as `docs/openapi.json` holds it: pretty-printed, ending in a newline. */
export async function renderOpenApiJson(): Promise<string> {
  const app = await createApp(loadConfig(DOCUMENT_ENVIRONMENT));
  try {
    return `${JSON.stringify(createOpenApiDocument(app), null, 2)}\n`;
  } finally {
    await app.close();
  }
}
