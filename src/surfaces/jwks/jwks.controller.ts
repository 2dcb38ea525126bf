import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../access/access.decorators';
import { DOC_TAGS } from '../../docs/docs.setup';
import { namedExamples } from '../../docs/responses';
import { JwtKeys } from '../../jwt-auth/jwt-keys';
import { SurfaceDialect } from '../../dialects/dialect.decorators';

/** The public verification keys, for services that check Gatehouse tokens themselves. */
@ApiTags(DOC_TAGS.tokens.name)
@SurfaceDialect('drf')
@Controller()
@Public({ authenticates: false })
export class JwksController {
  constructor(private readonly keys: JwtKeys) {}

  @Get('.well-known/jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Public keys (JWKS)',
    description:
      'The keys that verify access tokens, for services that check them themselves: the current key ' +
      '(RS, PS or ES algorithms, with its `kid`) and those of `JWT_PREVIOUS_KEY_FILES`. Empty with HS256, ' +
      'whose secret is never published.',
  })
  @ApiOkResponse({
    description: 'A JSON Web Key Set (RFC 7517)',
    schema: {
      type: 'object',
      required: ['keys'],
      properties: {
        keys: { type: 'array', items: { type: 'object', additionalProperties: true } },
      },
    },
    examples: namedExamples({
      RS256: {
        keys: [
          {
            kty: 'RSA',
            n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
            e: 'AQAB',
            alg: 'RS256',
            use: 'sig',
            kid: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs',
          },
        ],
      },
      'HS256 (nothing to publish)': { keys: [] },
    }),
  })
  jwks() {
    return this.keys.jwks();
  }
}
