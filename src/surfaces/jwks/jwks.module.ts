import { Module } from '@nestjs/common';
import { JwksController } from './jwks.controller';

/** `/.well-known/jwks.json`: the public keys of asymmetric deployments. */
@Module({ controllers: [JwksController] })
export class JwksModule {}
