// First: Gatehouse's process settings (thread pool, V8), before any module loads.
import '@gatehouse-auth/nestjs/runtime';
import { createGatehouseApp, loadConfig, readDotEnv } from '@gatehouse-auth/nestjs';
import { AcmeAppModule } from './app.module';

/** `npm start`: Acme's service, configured like Gatehouse (environment and .env). */
async function main(): Promise<void> {
  readDotEnv();
  const config = loadConfig();
  const app = await createGatehouseApp(AcmeAppModule.forRoot(config), config);
  app.enableShutdownHooks(); // SIGTERM drains requests and the mail worker, then closes
  await app.listen(config.port, config.host);
}

void main();
