import { Logger, Module } from '@nestjs/common';
import { GatehouseConfig } from '../config/gatehouse-config';
import { LogMailTransport } from './log.transport';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport';
import { MailService } from './mail.service';
import { SmtpMailTransport } from './smtp.transport';

/** Outgoing mail: SMTP when SMTP_URL is set, the log otherwise; templates and retries in MailService. */
@Module({
  providers: [
    {
      provide: MAIL_TRANSPORT,
      inject: [GatehouseConfig],
      useFactory: (config: GatehouseConfig): MailTransport => {
        if (config.mail.smtpUrl) return new SmtpMailTransport(config.mail.smtpUrl);
        if (config.isProduction) {
          new Logger('Mail').warn('SMTP_URL is not set: mails, with their links, go to the log');
        }
        return new LogMailTransport();
      },
    },
    MailService,
  ],
  exports: [MailService],
})
export class MailModule {}
