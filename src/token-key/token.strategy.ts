import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { UsersService } from '../accounts/users.service';
import type { AuthSchemeStrategy, Principal } from '../common/auth/auth-scheme';
import { AuthSchemeRegistry } from '../common/auth/auth-scheme.registry';
import { AuthenticationFailed } from '../common/errors/domain.errors';
import { TokenKeyService } from './token-key.service';

/** DRF's TokenAuthentication answers with its own challenge. */
const failed = (detail: string) => new AuthenticationFailed({ detail }, 'Token');

/** DRF's TokenAuthentication for `Authorization: Token <key>`, its errors to the letter. */
@Injectable()
export class TokenStrategy implements AuthSchemeStrategy, OnModuleInit {
  readonly schemes = ['Token'];

  constructor(
    private readonly registry: AuthSchemeRegistry,
    private readonly keys: TokenKeyService,
    private readonly users: UsersService,
  ) {}

  onModuleInit(): void {
    this.registry.register(this);
  }

  async authenticate(
    credentials: string[],
    _request: FastifyRequest,
  ): Promise<Omit<Principal, 'scheme'>> {
    if (credentials.length === 0) throw failed('Invalid token header. No credentials provided.');
    if (credentials.length > 1)
      throw failed('Invalid token header. Token string should not contain spaces.');
    const record = await this.keys.find(credentials[0]);
    if (!record) throw failed('Invalid token.');
    const user = await this.users.findById(record.userId);
    if (!user?.canAuthenticate) throw failed('User inactive or deleted.');
    return { user, credential: { tokenKeyId: record.id } };
  }
}
