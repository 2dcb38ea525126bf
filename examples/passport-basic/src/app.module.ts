import { type DynamicModule, Module } from '@nestjs/common';
import { type GatehouseConfig, GatehouseModule } from '@gatehouse-auth/nestjs';
import { BasicAuthStrategy } from './basic-auth.strategy';

/** All of Gatehouse, plus HTTP Basic on every protected route. */
@Module({})
export class BasicAuthAppModule {
  static forRoot(config: GatehouseConfig): DynamicModule {
    return {
      module: BasicAuthAppModule,
      imports: [
        GatehouseModule.forRoot({
          config,
          authSchemes: [
            {
              scheme: 'Basic',
              strategy: BasicAuthStrategy,
              securityScheme: {
                type: 'http',
                scheme: 'basic',
                description:
                  'Your e-mail and password, as `Authorization: Basic base64(email:password)`',
              },
            },
          ],
        }),
      ],
    };
  }
}
