import { Injectable } from '@nestjs/common';
import { ApiProperty } from '@nestjs/swagger';
import type { User } from '../accounts/user.entity';
import { NON_FIELD, FieldErrors } from '../problems/domain.errors';
import { type MfaAttempt, MfaService } from './mfa.service';

/** `GET <me>/mfa/`. */
export class MfaStatusDto {
  @ApiProperty({ description: 'Whether TOTP is on (a confirmed authenticator)', example: true })
  totp: boolean;

  @ApiProperty({ description: 'Recovery codes not used yet (0 while MFA is off)', example: 10 })
  recovery_codes_left: number;
}

/** `POST <me>/mfa/totp/`. */
export class MfaTotpSetupDto {
  @ApiProperty({
    description: 'The new secret, base32 (160 bits), for typing into an authenticator app',
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  })
  secret: string;

  @ApiProperty({
    description: 'The same secret as a Key URI (what the QR code holds)',
    example:
      'otpauth://totp/Gatehouse:ada%40example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30',
  })
  otpauth_url: string;

  @ApiProperty({
    description: 'The Key URI as an SVG QR code, to show for scanning',
    example: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 41 41" …</svg>',
  })
  qr_svg: string;
}

/** The recovery codes, shown once. */
export class MfaRecoveryCodesDto {
  @ApiProperty({
    description: 'Ten single-use recovery codes, each accepted once in place of a TOTP code',
    type: [String],
    example: ['k7dq-9wna-3xbe', 'p2mr-hs4t-vc8f'],
  })
  recovery_codes: string[];
}

/**
 * `<me>/mfa/` for every surface: the wire shapes (snake_case, as both Python
 * libraries write) over MfaService, so each surface's controller only routes.
 */
@Injectable()
export class MfaViewsService {
  constructor(private readonly mfa: MfaService) {}

  async status(user: User): Promise<MfaStatusDto> {
    const { totp, recoveryCodesLeft } = await this.mfa.status(user.id);
    return { totp, recovery_codes_left: recoveryCodesLeft };
  }

  async begin(user: User): Promise<MfaTotpSetupDto> {
    const { secret, otpauthUrl, qrSvg } = await this.mfa.beginTotp(user);
    return { secret, otpauth_url: otpauthUrl, qr_svg: qrSvg };
  }

  async confirm(user: User, code: string, surface: MfaAttempt['surface']) {
    const { recoveryCodes } = await this.mfa.confirmTotp(user, code, { surface });
    return { recovery_codes: recoveryCodes };
  }

  async disable(
    user: User,
    proof: { password?: string; code?: string },
    surface: MfaAttempt['surface'],
  ): Promise<void> {
    // Blank is absent: a form may send both fields.
    const password = proof.password || undefined;
    const code = proof.code || undefined;
    if (password === undefined && code === undefined) {
      throw FieldErrors.of(NON_FIELD, 'required', 'Give your password or a code.');
    }
    await this.mfa.disable(user, { password, code }, { surface });
  }

  async regenerate(user: User, code: string, surface: MfaAttempt['surface']) {
    return { recovery_codes: await this.mfa.regenerateRecoveryCodes(user, code, { surface }) };
  }
}
