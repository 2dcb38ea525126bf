import { Module } from '@nestjs/common';
import { SimpleJwtController } from './simplejwt.controller';

/** SimpleJWT's own token views: obtain, refresh, verify. */
@Module({ controllers: [SimpleJwtController] })
export class SimpleJwtSurfaceModule {}
