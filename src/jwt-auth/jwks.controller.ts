import { Controller, Get, Header } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/access.decorators';
import { DOC_TAGS } from '../docs/docs.setup';
import { JwtKeys } from './jwt-keys';

/** The public verification keys, for services that check Gatehouse tokens themselves. */
@ApiTags(DOC_TAGS.tokens.name)
@Controller('.well-known')
@Public()
export class JwksController {
  constructor(private readonly keys: JwtKeys) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks() {
    return this.keys.jwks();
  }
}
