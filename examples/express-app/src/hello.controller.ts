import { Controller, Get } from '@nestjs/common';
import { Authenticated, CurrentUser, type User } from '@gatehouse-auth/nestjs';

/** The app's own route: any credential Gatehouse issues (JWT, Bearer, Token, cookie) opens it. */
@Controller('hello')
export class HelloController {
  @Get()
  @Authenticated()
  hello(@CurrentUser() user: User): { hello: string } {
    return { hello: user.email };
  }
}
