import nodemailer from 'nodemailer';
import type { MailTransport } from './mail.ts';

/**
 * The SMTP transport of the outbox (nodemailer), built from the configured SMTP_URL. Plumbing, not a use
 * case: it decides nothing and reads nothing (the URL is given), so it stands among the pure files,
 * where the job runner and the tests reach it (docs/decisions/0023).
 */
export function smtpTransport(smtpUrl: string): MailTransport & { close(): void } {
  const transporter = nodemailer.createTransport(smtpUrl, {});
  return {
    async send(message) {
      await transporter.sendMail(message);
    },
    close() {
      transporter.close();
    },
  };
}
