/**
 * The benchmark's reference: the ceiling of this stack for "who am I" — a
 * minimal Nest + Fastify app whose one route sits behind @nestjs/passport's
 * AuthGuard over passport-jwt (HS256, the key a KeyObject), with its users in
 * memory. Started by bench/run.ts with the users and the secret in the environment.
 */
import { setFlagsFromString } from 'node:v8';
// Gatehouse runs V8 so (src/runtime.ts); the reference does too, so the ratios compare code, not flags.
setFlagsFromString('--no-allocation-site-pretenuring');

import 'reflect-metadata';
import { createSecretKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import {
  Controller,
  Get,
  Injectable,
  Module,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ExtractJwt, Strategy } from 'passport-jwt';

interface BenchUser {
  id: number;
  email: string;
  country_code: string | null;
  kyc_status: string;
}

const users = new Map<number, BenchUser>(
  (JSON.parse(readFileSync(process.env.BENCH_USERS_FILE ?? '', 'utf8')) as BenchUser[]).map(
    (user) => [user.id, user],
  ),
);

@Injectable()
class ReferenceJwtStrategy extends PassportStrategy(Strategy) {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: createSecretKey(Buffer.from(process.env.JWT_SECRET ?? '')) as unknown as string,
      algorithms: ['HS256'],
    });
  }

  validate(payload: { user_id: number }): BenchUser {
    const user = users.get(payload.user_id);
    if (!user) throw new UnauthorizedException();
    return user;
  }
}

@Controller()
class ReferenceController {
  @Get('me')
  @UseGuards(AuthGuard('jwt'))
  me(@Req() request: { user: BenchUser }) {
    const { country_code, email, kyc_status } = request.user;
    return { country_code, email, kyc_status };
  }
}

@Module({
  imports: [PassportModule],
  controllers: [ReferenceController],
  providers: [ReferenceJwtStrategy],
})
class ReferenceModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(
    ReferenceModule,
    new FastifyAdapter(),
    { logger: false },
  );
  // A clean exit on SIGTERM, so that --cpu-prof (BENCH_PROFILE_DIR) writes its profile.
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
  await app.listen(Number(process.env.PORT), '127.0.0.1');
}

void main();
