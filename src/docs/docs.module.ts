import { Module } from '@nestjs/common';
import type { INestApplication } from '@nestjs/common';
import { setupDocs } from './docs.setup';

/**
 * Swagger for the whole app: Swagger UI at `/docs`, the OpenAPI document at
 * `/docs-json`, `/docs-yaml` and `/openapi.json`, one tag per library mirrored.
 *
 * @nestjs/swagger reads the routes of every module, so the document can only be
 * built from the assembled application, never from a provider inside it: the
 * module holds no providers, and `DocsModule.setup(app)` (`setupDocs`, which
 * `createApp` calls before `app.init()`) mounts it.
 */
@Module({})
export class DocsModule {
  static setup(app: INestApplication): void {
    setupDocs(app);
  }
}
