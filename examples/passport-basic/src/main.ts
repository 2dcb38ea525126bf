import { createGatehouseApp, loadConfig } from '@gatehouse-auth/nestjs';
import { BasicAuthAppModule } from './app.module';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createGatehouseApp(BasicAuthAppModule.forRoot(config), config);
  app.enableShutdownHooks(); // SIGTERM drains requests and the mail worker, then closes
  await app.listen(config.port, config.host);
}

void main();
