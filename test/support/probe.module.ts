import {
  Controller,
  Get,
  HttpStatus,
  Injectable,
  Module,
  NotFoundException,
  type OnModuleInit,
  Post,
} from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { HttpRequest } from '../../src/http/http-seam';
import { AccountsModule } from '../../src/accounts/accounts.module';
import type { User } from '../../src/accounts/user.entity';
import { UsersService } from '../../src/accounts/users.service';
import { Public, Staff } from '../../src/access/access.decorators';
import type { AuthenticatedUser } from '../../src/access/auth-scheme';
import { AuthSchemeRegistry } from '../../src/access/auth-scheme.registry';
import { CurrentUser } from '../../src/access/current-user.decorator';
import { RequestStrategy } from '../../src/access/request-strategy';
import { SurfaceDialect } from '../../src/dialects/dialect.decorators';
import { DrfException } from '../../src/problems/drf.exception';
import { UncheckedBody } from '../../src/http/unchecked-body';
import { currentRequest } from '../../src/observability/request-context';

/**
 * A test-only header scheme, `UserId <id>`, that exercises the AuthGuard's
 * plumbing against real users before the real JWT/Token strategies exist.
 */
@Injectable()
class UserIdStrategy
  extends PassportStrategy(RequestStrategy, 'probe-user-id')
  implements OnModuleInit
{
  constructor(
    private readonly registry: AuthSchemeRegistry,
    private readonly users: UsersService,
  ) {
    super();
  }

  onModuleInit(): void {
    this.registry.register({ schemes: ['UserId'], strategy: this });
  }

  async validate(
    _request: HttpRequest,
    credentials: readonly string[],
  ): Promise<AuthenticatedUser> {
    const user =
      credentials.length === 1 ? await this.users.findById(Number(credentials[0])) : null;
    if (!user) throw DrfException.detail(HttpStatus.UNAUTHORIZED, 'Invalid user id.');
    return { user };
  }
}

/** DRF-dialect probe routes (the app-wide default dialect). */
@Controller('probe')
class DrfProbeController {
  @Post('echo')
  @Public()
  echo(@UncheckedBody() body: unknown): unknown {
    return { received: body ?? null };
  }

  @Get('me')
  me(@CurrentUser() user: User): { email: string } {
    return { email: user.email };
  }

  @Get('staff')
  @Staff()
  staff(@CurrentUser() user: User): { email: string } {
    return { email: user.email };
  }

  @Post('boom')
  @Public()
  boom(): never {
    throw new Error('probe failure with a secret=hunter2 inside');
  }

  @Get('boom')
  @Public()
  boomOnRead(): never {
    throw new Error('probe failure on a read');
  }

  /** The request context the handler runs in (see runInRequestContext). */
  @Get('context')
  @Public()
  contextOnRead(): { context: string | null } {
    return { context: currentRequest()?.id ?? null };
  }

  @Post('context')
  @Public()
  contextOnWrite(): { context: string | null } {
    return { context: currentRequest()?.id ?? null };
  }
}

@Controller('probe-fastapi')
@SurfaceDialect('fastapi')
class FastApiProbeController {
  @Get('missing')
  @Public()
  missing(): never {
    throw new NotFoundException();
  }

  @Post('echo')
  @Public()
  echo(@UncheckedBody() body: unknown): unknown {
    return { received: body ?? null };
  }

  @Get('me')
  me(@CurrentUser() user: User): { email: string } {
    return { email: user.email };
  }
}

@Module({
  imports: [AccountsModule],
  controllers: [DrfProbeController, FastApiProbeController],
  providers: [UserIdStrategy],
})
export class ProbeModule {}
