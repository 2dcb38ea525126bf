import type { PasswordValidator } from '@gatehouse-auth/nestjs';

/** Acme's own rule, beside Django's validators: no company name in a password. */
export class CompanyNameValidator implements PasswordValidator {
  constructor(private readonly companyName: string) {}

  validate(password: string): string[] {
    return password.toLowerCase().includes(this.companyName.toLowerCase())
      ? [`The password must not contain the company name "${this.companyName}".`]
      : [];
  }
}
