import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMail } from './outbox/outbox-mail.entity';
import { type DynamicModule, Logger, Module, type Provider, type Type } from '@nestjs/common';
import { GatehouseConfig } from '../config/gatehouse-config';
import { LogMailTransport } from './log.transport';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';
import { MailService } from './mail.service';
import { SmtpMailTransport } from './smtp.transport';

export interface MailModuleOptions {
  /** Replaces SMTP/log delivery (an HTTP mail API, a test double); its `send` throws to ask for a retry. */
  transport?: Type<MailTransport>;
}

/** SMTP when SMTP_URL is set, the log otherwise. */
const configuredTransport: Provider = {
  provide: MAIL_TRANSPORT,
  inject: [GatehouseConfig],
  useFactory: (config: GatehouseConfig): MailTransport => {
    if (config.mail.smtpUrl) return new SmtpMailTransport(config.mail.smtpUrl);
    if (config.isProduction) {
      new Logger('Mail').warn('SMTP_URL is not set: mails, with their links, go to the log');
    }
    return new LogMailTransport();
  },
};

/** Outgoing mail: a transport, and MailService's templates and retries. Global. */
@Module({})
export class MailModule {
  static forRoot(options: MailModuleOptions = {}): DynamicModule {
    return {
      global: true,
      module: MailModule,
      imports: [TypeOrmModule.forFeature([OutboxMail])],
      providers: [
        options.transport
          ? { provide: MAIL_TRANSPORT, useClass: options.transport }
          : configuredTransport,
        MailService,
      ],
      exports: [MailService, MAIL_TRANSPORT],
    };
  }
}
