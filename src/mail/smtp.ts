import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type { MailTransport } from './mail.ts';

/**
 * The SMTP transport of the outbox (nodemailer), built from the configured SMTP_URL. Plumbing, not a use
 * case: it decides nothing and reads nothing (the URL is given), so it stands among the pure files,
 * where the job runner and the tests reach it (docs/decisions/0023).
 */
export function smtpTransport(smtpUrl: string): MailTransport & { close(): void } {
  // Loaded here, not at start: a server without SMTP_URL (the demonstration) never needs it, and it
  // holds a few MB once loaded (docs/decisions/0049).
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
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
