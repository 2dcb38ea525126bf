// The SMTP catcher lives in the test kit (`@gatehouse-auth/nestjs/testing`).
export {
  Mailbox,
  mailbox,
  linkIn,
  linksIn,
  parseLink,
  type MailLink,
  type ReceivedMail,
} from '../../src/testing';
