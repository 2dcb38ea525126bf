import { Module } from '@nestjs/common';
import { GatehouseModule, loadConfig } from '@gatehouse-auth/nestjs';
import { HelloController } from './hello.controller';

/**
 * The host app: all of Gatehouse, its settings read from the environment at boot
 * (`forRootAsync`), and one route of the app's own behind Gatehouse's guard.
 */
@Module({
  imports: [GatehouseModule.forRootAsync({ useFactory: () => loadConfig(process.env) })],
  controllers: [HelloController],
})
export class AppModule {}
